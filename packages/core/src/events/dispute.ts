import { z } from 'zod';
import { DisputeId, OpportunityId, PartnerId, PartyId } from '../ids.ts';
import { NonEmpty, TouchKind } from './common.ts';

export const Credit = z.strictObject({
  partyId: PartyId,
  share: z.number().min(0).max(1),
  kind: TouchKind.optional(),
});

/** Stream `dispute-<disputeId>`. */
export const AttributionDisputed = z.strictObject({
  disputeId: DisputeId,
  opportunityId: OpportunityId,
  claimantPartnerId: PartnerId,
  claim: z.string(),
});
export const DisputeResolved = z
  .object({
    disputeId: DisputeId,
    opportunityId: OpportunityId,
    decision: z.enum(['upheld', 'rejected', 'split']),
    decidedBy: NonEmpty,
    rationale: z.string(),
    credits: z.array(Credit).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.decision !== 'rejected' && (!d.credits || d.credits.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['credits'],
        message: `credits are required when the decision is ${d.decision}`,
      });
    }
    if (d.credits && d.credits.length > 0) {
      const total = d.credits.reduce((s, c) => s + c.share, 0);
      if (Math.abs(total - 1) > 1e-9) {
        ctx.addIssue({
          code: 'custom',
          path: ['credits'],
          message: `shares must sum to 1 (they sum to ${total})`,
        });
      }
    }
  });

export const disputeEvents = { AttributionDisputed, DisputeResolved } as const;
