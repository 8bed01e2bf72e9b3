import type { z } from 'zod';
import { Email } from '../events/common.ts';
import { ConsentRecorded } from '../events/exchange.ts';
import { SubjectId } from '../ids.ts';
import { commandSchema } from './metadata.ts';

/**
 * Commands on stream `subject-<subjectId>`. Give `subjectId`, or `email` and let the facade
 * derive the opaque id (a keyed hash of the normalised email, SPEC §10); the email itself is
 * never stored.
 */
export const RecordConsent = commandSchema(
  'RecordConsent',
  ConsentRecorded.extend({ subjectId: SubjectId.optional(), email: Email.optional() }),
);

export const subjectCommands = { RecordConsent } as const;
export type RecordConsentData = z.infer<typeof RecordConsent>['data'];
