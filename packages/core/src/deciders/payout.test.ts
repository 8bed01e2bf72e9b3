import { describe, expect, it } from 'vitest';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const schedule = (payoutId: string, amount: number) => ({
  type: 'SchedulePayout' as const,
  data: {
    payoutId,
    partnerId: 'P-1',
    amount: usd(amount),
    lines: [{ opportunityId: 'O-1', amount: usd(amount) }],
    provider: 'wise' as const,
  },
});
const scheduled = (payoutId: string, amount: number): GivenEvent => ({
  type: 'PayoutScheduled',
  data: schedule(payoutId, amount).data,
});
const P1 = f.enrolled('P-1');
const payable = { payable: usd(100_000) as never };

describe('payout decider', () => {
  it('schedules up to what is payable', () => {
    given([P1])
      .when(schedule('PO-1', 100_000), payable)
      .then([scheduled('PO-1', 100_000)]);
  });

  it('refuses a payout above what is payable', () => {
    const err = given([P1]).when(schedule('PO-1', 100_001), payable).thenRefuses('payout.exceeds-payable');
    expect(err.message).toContain('100000');
    given([P1])
      .when(schedule('PO-2', 1), { payable: { amount: 5, currency: 'EUR' } as never })
      .thenRefuses('payout.exceeds-payable');
  });

  it('refuses without a payable policy rather than guessing', () => {
    given([P1]).when(schedule('PO-1', 1)).thenRefuses('ledger.policy-missing');
  });

  it('refuses a reused id, an unknown partner, another currency, lines that do not add up', () => {
    given([P1, scheduled('PO-1', 10)])
      .when(schedule('PO-1', 10), payable)
      .thenRefuses('payout.already-scheduled');
    given([]).when(schedule('PO-1', 10), payable).thenRefuses('partner.not-found');
    const eur = schedule('PO-1', 10);
    given([P1])
      .when({ ...eur, data: { ...eur.data, amount: { amount: 10, currency: 'EUR' } } }, payable)
      .thenRefuses('payout.currency-mismatch');
    given([P1])
      .when({ ...eur, data: { ...eur.data, lines: [{ opportunityId: 'O-1', amount: usd(9) }] } }, payable)
      .thenRefuses('payout.lines-do-not-add-up');
    given([P1]).when(schedule('PO-1', 0), payable).thenRefuses('payout.amount-not-positive');
  });

  it('marks a scheduled payout sent or failed once; reverses only a sent one', () => {
    const sent = { type: 'MarkPayoutSent' as const, data: { payoutId: 'PO-1', providerReference: 'tr_1' } };
    const failed = { type: 'MarkPayoutFailed' as const, data: { payoutId: 'PO-1', reason: 'bad IBAN' } };
    const reverse = { type: 'ReversePayout' as const, data: { payoutId: 'PO-1', reason: 'returned' } };
    const base = [P1, scheduled('PO-1', 10)];
    given(base)
      .when(sent)
      .then([{ type: 'PayoutSent', data: sent.data }]);
    given(base)
      .when(failed)
      .then([{ type: 'PayoutFailed', data: failed.data }]);
    given([...base, { type: 'PayoutSent', data: sent.data }])
      .when(sent)
      .thenRefuses('payout.already-sent');
    given([...base, { type: 'PayoutSent', data: sent.data }])
      .when(failed)
      .thenRefuses('payout.already-sent');
    given([...base, { type: 'PayoutFailed', data: failed.data }])
      .when(sent)
      .thenRefuses('payout.already-failed');
    given([...base, { type: 'PayoutSent', data: sent.data }])
      .when(reverse)
      .then([{ type: 'PayoutReversed', data: reverse.data }]);
    given(base).when(reverse).thenRefuses('payout.not-sent');
    given([...base, { type: 'PayoutSent', data: sent.data }, { type: 'PayoutReversed', data: reverse.data }])
      .when(reverse)
      .thenRefuses('payout.already-reversed');
    given([P1]).when(sent).thenRefuses('payout.not-found');
  });
});
