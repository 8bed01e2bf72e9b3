import { z } from 'zod';
import { OpportunityId, PartnerId, PayoutId } from '../ids.ts';
import { MoneySchema } from '../money/money.ts';
import { NonEmpty, PayoutProvider } from './common.ts';

/** Stream `commission-<opportunityId>`. */
export const CommissionApproved = z.strictObject({
  opportunityId: OpportunityId,
  partnerId: PartnerId,
  amount: MoneySchema,
  approvedBy: NonEmpty,
});
export const CommissionAdjusted = z.strictObject({
  opportunityId: OpportunityId,
  partnerId: PartnerId,
  amount: MoneySchema,
  reason: NonEmpty,
  approvedBy: NonEmpty,
});

/** Stream `payout-<payoutId>`. */
export const PayoutScheduled = z.strictObject({
  payoutId: PayoutId,
  partnerId: PartnerId,
  amount: MoneySchema,
  lines: z.array(z.strictObject({ opportunityId: OpportunityId, amount: MoneySchema })),
  provider: PayoutProvider,
});
export const PayoutSent = z.strictObject({ payoutId: PayoutId, providerReference: NonEmpty });
export const PayoutFailed = z.strictObject({ payoutId: PayoutId, reason: z.string() });
export const PayoutReversed = z.strictObject({ payoutId: PayoutId, reason: z.string() });

export const commissionEvents = { CommissionApproved, CommissionAdjusted } as const;
export const payoutEvents = { PayoutScheduled, PayoutSent, PayoutFailed, PayoutReversed } as const;
