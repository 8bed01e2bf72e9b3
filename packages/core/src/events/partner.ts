import { z } from 'zod';
import { PartnerId } from '../ids.ts';
import { CurrencyCode } from '../money/money.ts';
import { Domain, Email, NonEmpty, Program, Relationship, Tier, Timestamp } from './common.ts';

/** Lead fields a partner may receive when we share a lead with it (SPEC §3.2). */
export const LeadFieldName = z.enum([
  'firstName',
  'lastName',
  'email',
  'company',
  'phone',
  'title',
  'website',
  'estimatedValue',
  'timeline',
  'useCase',
  'howMet',
  'notes',
]);
export type LeadFieldName = z.infer<typeof LeadFieldName>;

/** Stream `partner-<partnerId>`. */
export const PartnerEnrolled = z.strictObject({
  partnerId: PartnerId,
  name: NonEmpty,
  program: Program,
  tier: Tier,
  contactEmail: Email,
  payoutCurrency: CurrencyCode,
  managerId: NonEmpty.optional(),
  domain: Domain.optional(),
  customerSince: Timestamp.optional(),
  referredBy: PartnerId.optional(),
});
export const PartnerTierChanged = z.strictObject({
  partnerId: PartnerId,
  tier: Tier,
  reason: z.string().optional(),
});
export const PartnerSharingSet = z.strictObject({
  partnerId: PartnerId,
  leadFields: z.array(LeadFieldName),
  overlapRelationships: z.array(Relationship),
  setBy: NonEmpty,
});
export const PartnerUpdated = z.strictObject({
  partnerId: PartnerId,
  name: NonEmpty.optional(),
  contactEmail: Email.optional(),
  payoutCurrency: CurrencyCode.optional(),
  domain: Domain.optional(),
  managerId: NonEmpty.optional(),
});
export const PartnerOffboarded = z.strictObject({ partnerId: PartnerId, reason: NonEmpty });

export const partnerEvents = {
  PartnerEnrolled,
  PartnerTierChanged,
  PartnerSharingSet,
  PartnerUpdated,
  PartnerOffboarded,
} as const;
