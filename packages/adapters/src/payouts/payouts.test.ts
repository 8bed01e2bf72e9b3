import { money, uuidV5, ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../ingest/csv.ts';
import { paypalPayoutBatch } from './paypal.ts';
import { stripeTransfers } from './stripe.ts';
import { decimalString, type PayoutToSend } from './types.ts';
import { WISE_COLUMNS, wiseBatchCsv } from './wise.ts';

const payout = (over: Partial<PayoutToSend> = {}): PayoutToSend => ({
  payoutId: 'PO-2026-03-P1',
  partnerId: 'P-1',
  amount: money(123450, 'USD'),
  provider: 'stripe',
  lines: [
    { opportunityId: 'O-1', amount: money(100000, 'USD') },
    { opportunityId: 'O-2', amount: money(23450, 'USD') },
  ],
  partner: { name: 'Acme Partners', contactEmail: 'payouts@acme-partners.example', program: 'partner' },
  ...over,
});

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('decimal strings', () => {
  it('writes exactly the currency minor digits', () => {
    expect(decimalString(123450, 'USD')).toBe('1234.50');
    expect(decimalString(5, 'USD')).toBe('0.05');
    expect(decimalString(1500, 'JPY')).toBe('1500');
    expect(decimalString(1234, 'KWD')).toBe('1.234');
  });
});

describe('Stripe transfers', () => {
  it('builds one request per payout, field by field', () => {
    const [r, ...rest] = stripeTransfers([payout()], { accounts: { 'P-1': 'acct_1MTfjCQ9PRzxEwkZ' } });
    expect(rest).toEqual([]);
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe('https://api.stripe.com/v1/transfers');
    expect(r!.headers['Idempotency-Key']).toBe('PO-2026-03-P1');
    expect(r!.params.amount).toBe(123450);
    expect(r!.params.currency).toBe('usd');
    expect(r!.params.destination).toBe('acct_1MTfjCQ9PRzxEwkZ');
    expect(r!.params.transfer_group).toBe('PO-2026-03-P1');
    expect(r!.params.metadata).toEqual({
      payout_id: 'PO-2026-03-P1',
      partner_id: 'P-1',
      opportunity_ids: 'O-1,O-2',
    });
    expect(r!.body).toBe(
      'amount=123450&currency=usd&destination=acct_1MTfjCQ9PRzxEwkZ&transfer_group=PO-2026-03-P1' +
        '&description=Referral%20commission%20payout%20PO-2026-03-P1%20to%20Acme%20Partners' +
        '&metadata[payout_id]=PO-2026-03-P1&metadata[partner_id]=P-1&metadata[opportunity_ids]=O-1%2CO-2',
    );
  });

  it('keeps zero-decimal amounts in their smallest unit', () => {
    const [r] = stripeTransfers([payout({ amount: money(15000, 'JPY') })], {
      accounts: { 'P-1': 'acct_X1' },
    });
    expect([r!.params.amount, r!.params.currency]).toEqual([15000, 'jpy']);
  });

  it('refuses a partner without a connected account, another provider and a zero amount', () => {
    expect(refusal(() => stripeTransfers([payout()], { accounts: {} })).path).toBe(
      'PO-2026-03-P1.destination',
    );
    expect(
      refusal(() => stripeTransfers([payout({ provider: 'wise' })], { accounts: { 'P-1': 'acct_X1' } })).path,
    ).toBe('PO-2026-03-P1.provider');
    expect(
      refusal(() =>
        stripeTransfers([payout({ amount: money(0, 'USD') })], { accounts: { 'P-1': 'acct_X1' } }),
      ).path,
    ).toBe('PO-2026-03-P1.amount');
  });
});

describe('PayPal Payouts batch', () => {
  const two = [
    payout({ provider: 'paypal' }),
    payout({
      provider: 'paypal',
      payoutId: 'PO-2026-03-P2',
      partnerId: 'P-2',
      amount: money(9900, 'EUR'),
      partner: { name: 'Beta', contactEmail: 'beta@beta.example' },
    }),
  ];

  it('builds the header and one item per payout, field by field', () => {
    const b = paypalPayoutBatch(two, { receivers: { 'P-2': 'paypal@beta.example' } });
    expect(b.sender_batch_header).toEqual({
      sender_batch_id: `referral-ledger-${uuidV5('PO-2026-03-P1\nPO-2026-03-P2')}`,
      recipient_type: 'EMAIL',
      email_subject: 'You have a referral commission payout',
      email_message: 'Thank you for your referrals. Your commission payout is on its way.',
    });
    expect(b.items).toEqual([
      {
        recipient_type: 'EMAIL',
        amount: { value: '1234.50', currency: 'USD' },
        receiver: 'payouts@acme-partners.example',
        note: 'Referral commission payout PO-2026-03-P1',
        sender_item_id: 'PO-2026-03-P1',
      },
      {
        recipient_type: 'EMAIL',
        amount: { value: '99.00', currency: 'EUR' },
        receiver: 'paypal@beta.example',
        note: 'Referral commission payout PO-2026-03-P2',
        sender_item_id: 'PO-2026-03-P2',
      },
    ]);
  });

  it('gives the same batch id whatever the order of the payouts', () => {
    const a = paypalPayoutBatch(two).sender_batch_header.sender_batch_id;
    expect(paypalPayoutBatch([...two].reverse()).sender_batch_header.sender_batch_id).toBe(a);
  });

  it('refuses a sender_item_id over 63 characters', () => {
    const long = payout({ provider: 'paypal', payoutId: 'P'.repeat(64) });
    expect(refusal(() => paypalPayoutBatch([long])).path).toBe(`${'P'.repeat(64)}.sender_item_id`);
  });
});

describe('Wise batch CSV', () => {
  it('writes the documented columns and one row per payout', () => {
    const csv = wiseBatchCsv([
      payout({ provider: 'wise' }),
      payout({
        provider: 'wise',
        payoutId: 'PO-3',
        amount: money(250000, 'JPY'),
        partner: { name: 'Yamada, Taro', contactEmail: 'taro@example.jp', program: 'customer' },
      }),
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...WISE_COLUMNS]);
    expect(rows[0]).toEqual([
      'name',
      'recipientEmail',
      'paymentReference',
      'receiverType',
      'amountCurrency',
      'amount',
      'sourceCurrency',
      'targetCurrency',
    ]);
    expect(rows[1]).toEqual([
      'Acme Partners',
      'payouts@acme-partners.example',
      'PO-2026-03-P1',
      'BUSINESS',
      'target',
      '1234.50',
      'USD',
      'USD',
    ]);
    expect(rows[2]).toEqual([
      'Yamada, Taro',
      'taro@example.jp',
      'PO-3',
      'PERSON',
      'target',
      '250000',
      'JPY',
      'JPY',
    ]);
    expect(csv).toContain('"Yamada, Taro"');
  });

  it('funds from another source currency and neutralises a formula in a name', () => {
    const csv = wiseBatchCsv(
      [
        payout({
          provider: 'wise',
          amount: money(1000, 'EUR'),
          partner: { name: '=HYPERLINK("x")', contactEmail: 'a@b.c' },
        }),
      ],
      { sourceCurrency: 'GBP' },
    );
    const row = parseCsv(csv)[1]!;
    expect(row[0]).toBe('\'=HYPERLINK("x")');
    expect([row[5], row[6], row[7]]).toEqual(['10.00', 'GBP', 'EUR']);
  });
});
