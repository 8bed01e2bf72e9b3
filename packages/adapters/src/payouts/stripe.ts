import { checkPayout, type PayoutToSend, refusePayout } from './types.ts';

/**
 * Stripe Connect transfers (`POST /v1/transfers`): one request per payout, moving the payout
 * from the platform balance to the partner's connected account. `amount` is an integer in the
 * currency's smallest unit, `currency` the lower-case ISO code, `destination` the connected
 * account id (`acct_…`), `transfer_group` ties the transfer to the payout, and the payout id is
 * the `Idempotency-Key`, so sending a request twice moves money once.
 */
export interface StripeTransferRequest {
  readonly method: 'POST';
  readonly url: 'https://api.stripe.com/v1/transfers';
  readonly headers: {
    readonly 'Idempotency-Key': string;
    readonly 'Content-Type': 'application/x-www-form-urlencoded';
  };
  readonly params: {
    readonly amount: number;
    readonly currency: string;
    readonly destination: string;
    readonly transfer_group: string;
    readonly description: string;
    readonly metadata: Readonly<Record<string, string>>;
  };
  /** `params` form-encoded, as Stripe's API takes them (`metadata[payout_id]=…`). */
  readonly body: string;
}

export interface StripeOptions {
  /** Partner id → connected account id (`acct_…`). */
  readonly accounts: Readonly<Record<string, string>>;
}

const enc = encodeURIComponent;

/**
 * Build the transfer requests of a set of Stripe payouts; refuses a payout of another provider,
 * a non-positive amount, or a partner without a connected account.
 * @example stripeTransfers(payouts, { accounts: { 'P-1': 'acct_1MTfjCQ9PRzxEwkZ' } })
 */
export function stripeTransfers(
  payouts: readonly PayoutToSend[],
  options: StripeOptions,
): StripeTransferRequest[] {
  return payouts.map((p) => {
    checkPayout(p, 'stripe');
    const destination = options.accounts[p.partnerId];
    if (!destination || !/^acct_[A-Za-z0-9]+$/.test(destination)) {
      refusePayout(
        'stripe',
        p.payoutId,
        'destination',
        `no connected account (acct_…) for partner ${p.partnerId}`,
      );
    }
    const opportunities = p.lines.map((l) => l.opportunityId).join(',');
    const metadata: Record<string, string> = {
      payout_id: p.payoutId,
      partner_id: p.partnerId,
      ...(opportunities ? { opportunity_ids: opportunities.slice(0, 500) } : {}),
    };
    const params = {
      amount: p.amount.amount,
      currency: p.amount.currency.toLowerCase(),
      destination,
      transfer_group: p.payoutId,
      description: `Referral commission payout ${p.payoutId} to ${p.partner.name}`,
      metadata,
    };
    const body = [
      `amount=${params.amount}`,
      `currency=${enc(params.currency)}`,
      `destination=${enc(destination)}`,
      `transfer_group=${enc(params.transfer_group)}`,
      `description=${enc(params.description)}`,
      ...Object.entries(metadata).map(([k, v]) => `metadata[${k}]=${enc(v)}`),
    ].join('&');
    return {
      method: 'POST',
      url: 'https://api.stripe.com/v1/transfers',
      headers: { 'Idempotency-Key': p.payoutId, 'Content-Type': 'application/x-www-form-urlencoded' },
      params,
      body,
    };
  });
}
