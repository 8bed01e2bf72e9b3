import { z } from 'zod';
import { OpportunityId, PartyId } from '../ids.ts';
import { MoneySchema } from '../money/money.ts';
import { Domain, Email, NonEmpty, TouchKind } from './common.ts';

/** Stream `opportunity-<opportunityId>`. */
export const OpportunityOpened = z.strictObject({
  opportunityId: OpportunityId,
  accountDomain: Domain,
  accountName: NonEmpty,
  value: MoneySchema,
  ownerId: NonEmpty,
  contactEmails: z.array(Email).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});
export const OpportunityValueChanged = z.strictObject({ opportunityId: OpportunityId, value: MoneySchema });
export const TouchpointRecorded = z.strictObject({
  opportunityId: OpportunityId,
  partyId: PartyId,
  kind: TouchKind,
  activity: z.string(),
});
export const OpportunityWon = z.strictObject({
  opportunityId: OpportunityId,
  value: MoneySchema,
  contractMonths: z.number().int().positive().optional(),
});
export const OpportunityLost = z.strictObject({ opportunityId: OpportunityId, reason: z.string() });
export const OpportunityReopened = z.strictObject({ opportunityId: OpportunityId, reason: z.string() });
export const RevenueReversed = z.strictObject({
  opportunityId: OpportunityId,
  value: MoneySchema,
  reason: z.enum(['refund', 'churn', 'downgrade']),
});

export const opportunityEvents = {
  OpportunityOpened,
  OpportunityValueChanged,
  TouchpointRecorded,
  OpportunityWon,
  OpportunityLost,
  OpportunityReopened,
  RevenueReversed,
} as const;
