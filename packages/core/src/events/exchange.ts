import { z } from 'zod';
import { PartnerId, RequestId, ShareId, SubjectId } from '../ids.ts';
import { CurrencyCode, MoneySchema } from '../money/money.ts';
import { Domain, NonEmpty, Relationship } from './common.ts';
import { Lead } from './referral.ts';

/** Stream `overlap-<partnerId>`. */
export const AccountOverlapDetected = z.strictObject({
  partnerId: PartnerId,
  accountDomain: Domain,
  ourRelationship: z.enum(['customer', 'prospect', 'opportunity', 'none']),
  partnerRelationship: Relationship,
  source: z.enum(['crossbeam', 'reveal', 'manual']),
});

/** Stream `share-<shareId>`: leads we share with partners. `lead` holds only allowed fields. */
export const LeadShared = z.strictObject({
  shareId: ShareId,
  partnerId: PartnerId,
  accountDomain: Domain,
  lead: Lead.partial(),
  reason: z.string(),
  sharedBy: NonEmpty,
});
export const SharedLeadResponded = z.strictObject({
  shareId: ShareId,
  response: z.enum(['accepted', 'declined']),
  reason: z.string().optional(),
});
export const SharedLeadOutcome = z.strictObject({
  shareId: ShareId,
  outcome: z.enum(['contacted', 'qualified', 'won', 'lost']),
  value: MoneySchema.optional(),
});

/** Stream `subject-<subjectId>`. */
export const ConsentRecorded = z.strictObject({
  subjectId: SubjectId,
  scope: z.enum(['contact', 'partner-sharing']),
  granted: z.boolean(),
  source: z.string(),
});
export const SubjectErased = z.strictObject({
  subjectId: SubjectId,
  requestedBy: NonEmpty,
  reason: NonEmpty,
});

/** Stream `advocate-<partnerId>`. */
export const AdvocacySignalRecorded = z.strictObject({
  partnerId: PartnerId,
  signal: z.enum(['nps', 'milestone', 'qbr', 'roi', 'support-issue']),
  score: z.number().int().min(0).max(10).optional(),
  note: z.string().optional(),
});
export const ReferralRequestSent = z.strictObject({
  partnerId: PartnerId,
  requestId: RequestId,
  step: z.enum(['ask', 'follow-up', 'alternative-ask']),
  channel: z.enum(['email', 'in-app', 'slack']),
});

/** Stream `fx`: 1 `base` = `rate` `quote` from the event's `occurredAt`. */
export const FxRateRecorded = z.strictObject({
  base: CurrencyCode,
  quote: CurrencyCode,
  rate: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "0.9"')
    .refine((s) => /[1-9]/.test(s), 'must not be zero'),
  source: z.string(),
});

export const overlapEvents = { AccountOverlapDetected } as const;
export const shareEvents = { LeadShared, SharedLeadResponded, SharedLeadOutcome } as const;
export const subjectEvents = { ConsentRecorded, SubjectErased } as const;
export const advocateEvents = { AdvocacySignalRecorded, ReferralRequestSent } as const;
export const fxEvents = { FxRateRecorded } as const;
