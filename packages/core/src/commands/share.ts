import type { z } from 'zod';
import { LeadShared, SharedLeadOutcome, SharedLeadResponded } from '../events/exchange.ts';
import { SubjectId } from '../ids.ts';
import { commandSchema } from './metadata.ts';

/**
 * Commands on stream `share-<shareId>`. `ShareLead` may carry the whole lead: the decider
 * keeps only the partner's `leadFields`. `subjectId` names the lead's data subject for the
 * consent check; without it the facade derives it from the lead's email (SPEC §10).
 */
export const ShareLead = commandSchema('ShareLead', LeadShared.extend({ subjectId: SubjectId.optional() }));
export const RespondToSharedLead = commandSchema('RespondToSharedLead', SharedLeadResponded);
export const RecordSharedLeadOutcome = commandSchema('RecordSharedLeadOutcome', SharedLeadOutcome);

export const shareCommands = { ShareLead, RespondToSharedLead, RecordSharedLeadOutcome } as const;
export type ShareLeadData = z.infer<typeof ShareLead>['data'];
