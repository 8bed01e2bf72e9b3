import { toCsv } from '../ingest/csv.ts';
import { checkPayout, decimalString, type PayoutToSend } from './types.ts';

/**
 * A Wise batch payment file, "send by email" template: one row per payout to the partner's
 * contact email; Wise asks each recipient for their bank details. The amount is fixed in the
 * target (the partner's payout) currency, so the partner receives exactly the payout; the
 * payout id is the payment reference, one row per payout.
 */
export const WISE_COLUMNS = [
  'name',
  'recipientEmail',
  'paymentReference',
  'receiverType',
  'amountCurrency',
  'amount',
  'sourceCurrency',
  'targetCurrency',
] as const;

export interface WiseOptions {
  /** Currency the batch is funded in (default: each payout's own currency). */
  readonly sourceCurrency?: string;
}

/**
 * Render the Wise batch CSV (RFC 4180, CRLF) for a set of Wise payouts.
 * @example wiseBatchCsv(payouts) // 'name,recipientEmail,…\r\nAcme Partners,pay@acme.example,…'
 */
export function wiseBatchCsv(payouts: readonly PayoutToSend[], options: WiseOptions = {}): string {
  const rows = payouts.map((p) => {
    checkPayout(p, 'wise');
    return [
      p.partner.name,
      p.partner.contactEmail,
      p.payoutId,
      p.partner.program === 'customer' || p.partner.program === 'employee' ? 'PERSON' : 'BUSINESS',
      'target',
      decimalString(p.amount.amount, p.amount.currency),
      options.sourceCurrency ?? p.amount.currency,
      p.amount.currency,
    ];
  });
  return toCsv([[...WISE_COLUMNS], ...rows]);
}
