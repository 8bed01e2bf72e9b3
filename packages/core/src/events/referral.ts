import { z } from 'zod';
import { OpportunityId, PartnerId, ReferralId } from '../ids.ts';
import { MoneySchema } from '../money/money.ts';
import { Email, NonEmpty } from './common.ts';

/** The lead a partner refers: the playbook's intake form (SPEC §3.2). */
export const Lead = z.strictObject({
  firstName: NonEmpty,
  lastName: NonEmpty,
  email: Email,
  company: NonEmpty,
  phone: z.string().optional(),
  title: z.string().optional(),
  website: z.string().optional(),
  estimatedValue: MoneySchema.optional(),
  timeline: z.string().optional(),
  useCase: z.string().optional(),
  howMet: z.string().optional(),
  notes: z.string().optional(),
});
export type Lead = z.infer<typeof Lead>;

export const ReferralChannel = z.enum(['form', 'portal', 'email', 'api', 'crm', 'slack', 'other']);
export const ReferralFlag = z.enum(['self-referral', 'excluded-domain', 'existing-customer', 'incomplete']);
export type ReferralFlag = z.infer<typeof ReferralFlag>;
export const DuplicateOf = z.strictObject({
  kind: z.enum(['referral', 'crm-lead', 'crm-contact', 'customer']),
  id: NonEmpty,
});
export type DuplicateOf = z.infer<typeof DuplicateOf>;
export const MatchedOn = z.enum(['email', 'domain', 'company']);

/** Stream `referral-<referralId>`. */
export const ReferralSubmitted = z.strictObject({
  referralId: ReferralId,
  partnerId: PartnerId,
  channel: ReferralChannel,
  submittedBy: z.string().optional(),
  lead: Lead,
});
export const ReferralDuplicateFlagged = z.strictObject({
  referralId: ReferralId,
  duplicateOf: DuplicateOf,
  matchedOn: MatchedOn,
});
export const ReferralFlagged = z.strictObject({
  referralId: ReferralId,
  flag: ReferralFlag,
  detail: z.string(),
});
export const ReferralAccepted = z.strictObject({
  referralId: ReferralId,
  salesOwnerId: NonEmpty,
  feedbackOwnerId: NonEmpty,
  approvedBy: NonEmpty,
});
export const ReferralRejected = z.strictObject({
  referralId: ReferralId,
  reason: NonEmpty,
  partnerExplanation: NonEmpty,
  approvedBy: NonEmpty,
});
export const ReferralOwnerChanged = z.strictObject({
  referralId: ReferralId,
  salesOwnerId: NonEmpty.optional(),
  feedbackOwnerId: NonEmpty.optional(),
  changedBy: NonEmpty,
});
export const ReferralContacted = z.strictObject({
  referralId: ReferralId,
  contactedBy: NonEmpty,
  channel: z.string().optional(),
});
export const ReferralQualified = z.strictObject({ referralId: ReferralId });
export const ReferralConverted = z.strictObject({ referralId: ReferralId, opportunityId: OpportunityId });
export const ReferralWithdrawn = z.strictObject({ referralId: ReferralId, reason: z.string().optional() });
export const PartnerFeedbackSent = z.strictObject({
  referralId: ReferralId,
  sentBy: NonEmpty,
  message: NonEmpty,
});

export const referralEvents = {
  ReferralSubmitted,
  ReferralDuplicateFlagged,
  ReferralFlagged,
  ReferralAccepted,
  ReferralRejected,
  ReferralOwnerChanged,
  ReferralContacted,
  ReferralQualified,
  ReferralConverted,
  ReferralWithdrawn,
  PartnerFeedbackSent,
} as const;
