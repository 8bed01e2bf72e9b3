import { uuidV5 } from '@referral-ledger/core';
import { checkPayout, decimalString, type PayoutToSend, refusePayout } from './types.ts';

/**
 * The body of a PayPal Payouts batch (`POST /v1/payments/payouts`): a `sender_batch_header`
 * (its `sender_batch_id` derived from the payout ids, so a resubmitted batch is rejected by
 * PayPal as a duplicate instead of paying twice) and one item per payout with `amount.value` a
 * decimal string with the currency's minor digits and `sender_item_id` = the payout id.
 */
export interface PayPalPayoutBatch {
  readonly sender_batch_header: {
    readonly sender_batch_id: string;
    readonly recipient_type: 'EMAIL';
    readonly email_subject: string;
    readonly email_message: string;
  };
  readonly items: readonly {
    readonly recipient_type: 'EMAIL';
    readonly amount: { readonly value: string; readonly currency: string };
    readonly receiver: string;
    readonly note: string;
    readonly sender_item_id: string;
  }[];
}

export interface PayPalOptions {
  /** Partner id → PayPal account email, when it is not the partner's contact email. */
  readonly receivers?: Readonly<Record<string, string>>;
  readonly emailSubject?: string;
  readonly emailMessage?: string;
}

/**
 * Build the PayPal Payouts batch body for a set of PayPal payouts.
 * @example paypalPayoutBatch(payouts).items[0].amount // { value: '1234.50', currency: 'USD' }
 */
export function paypalPayoutBatch(
  payouts: readonly PayoutToSend[],
  options: PayPalOptions = {},
): PayPalPayoutBatch {
  const items = payouts.map((p) => {
    checkPayout(p, 'paypal');
    if (p.payoutId.length > 63)
      refusePayout('paypal', p.payoutId, 'sender_item_id', 'longer than 63 characters');
    const receiver = options.receivers?.[p.partnerId] ?? p.partner.contactEmail;
    if (!/^[^\s@]+@[^\s@]+$/.test(receiver))
      refusePayout('paypal', p.payoutId, 'receiver', 'not an email address');
    return {
      recipient_type: 'EMAIL' as const,
      amount: { value: decimalString(p.amount.amount, p.amount.currency), currency: p.amount.currency },
      receiver,
      note: `Referral commission payout ${p.payoutId}`,
      sender_item_id: p.payoutId,
    };
  });
  const ids = payouts.map((p) => p.payoutId).sort();
  return {
    sender_batch_header: {
      sender_batch_id: `referral-ledger-${uuidV5(ids.join('\n'))}`,
      recipient_type: 'EMAIL',
      email_subject: options.emailSubject ?? 'You have a referral commission payout',
      email_message:
        options.emailMessage ?? 'Thank you for your referrals. Your commission payout is on its way.',
    },
    items,
  };
}
