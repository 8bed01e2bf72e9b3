import { z } from 'zod';

/**
 * Branded ids. Each is a non-empty string at run time; the brand keeps a partner id from
 * being passed where a referral id is expected. Build one with its schema (`PartnerId.parse`)
 * or the `id` helpers below.
 */
const nonEmpty = z.string().trim().min(1, 'must be a non-empty id');

export const PartnerId = nonEmpty.brand<'PartnerId'>();
export type PartnerId = z.infer<typeof PartnerId>;
export const ReferralId = nonEmpty.brand<'ReferralId'>();
export type ReferralId = z.infer<typeof ReferralId>;
export const OpportunityId = nonEmpty.brand<'OpportunityId'>();
export type OpportunityId = z.infer<typeof OpportunityId>;
export const DisputeId = nonEmpty.brand<'DisputeId'>();
export type DisputeId = z.infer<typeof DisputeId>;
export const PayoutId = nonEmpty.brand<'PayoutId'>();
export type PayoutId = z.infer<typeof PayoutId>;
export const ShareId = nonEmpty.brand<'ShareId'>();
export type ShareId = z.infer<typeof ShareId>;
export const SubjectId = nonEmpty.brand<'SubjectId'>();
export type SubjectId = z.infer<typeof SubjectId>;
export const RequestId = nonEmpty.brand<'RequestId'>();
export type RequestId = z.infer<typeof RequestId>;
/** A party credited on a deal: a partner id or the reserved `house`. */
export const PartyId = nonEmpty.brand<'PartyId'>();
export type PartyId = z.infer<typeof PartyId>;
/** The company itself (direct and marketing touches). Reserved: no partner may use it. */
export const HOUSE = 'house' as PartyId;

/** People and systems acting in the ledger (sales owners, approvers, ...). */
export const ActorRef = nonEmpty;

/** Build branded ids from plain strings in code and tests. */
export const id = {
  partner: (s: string): PartnerId => PartnerId.parse(s),
  referral: (s: string): ReferralId => ReferralId.parse(s),
  opportunity: (s: string): OpportunityId => OpportunityId.parse(s),
  dispute: (s: string): DisputeId => DisputeId.parse(s),
  payout: (s: string): PayoutId => PayoutId.parse(s),
  share: (s: string): ShareId => ShareId.parse(s),
  subject: (s: string): SubjectId => SubjectId.parse(s),
  request: (s: string): RequestId => RequestId.parse(s),
  party: (s: string): PartyId => PartyId.parse(s),
};
