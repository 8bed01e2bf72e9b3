import { z } from 'zod';
import { NonEmpty } from '../events/common.ts';
import { AttributionDisputed, Credit } from '../events/dispute.ts';
import { DisputeId, OpportunityId } from '../ids.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `dispute-<disputeId>`. */
export const DisputeAttribution = commandSchema('DisputeAttribution', AttributionDisputed);
/**
 * The event's shape without its cross-field checks: the decider refuses missing credits and
 * shares that do not sum to 1 with typed codes (`dispute.credits-required`,
 * `dispute.shares-must-sum-to-1`).
 */
export const ResolveDispute = commandSchema(
  'ResolveDispute',
  z.strictObject({
    disputeId: DisputeId,
    opportunityId: OpportunityId,
    decision: z.enum(['upheld', 'rejected', 'split']),
    decidedBy: NonEmpty,
    rationale: z.string(),
    credits: z.array(Credit).optional(),
  }),
);

export const disputeCommands = { DisputeAttribution, ResolveDispute } as const;
