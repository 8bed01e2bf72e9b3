import { describe, expect, it } from 'vitest';
import { computeCommission } from './engine.ts';
import { Log, model, soleSourced } from './fixture.ts';
import { monthIn, statements } from './statements.ts';

describe('monthly statements', () => {
  it('carries a refund after payout into the next statement as a negative balance, netted by the next payout', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-01-10T00:00:00Z', 1_000_000)
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-02-01T00:00:00Z',
      )
      .add('PayoutSent', { payoutId: 'PO-1', providerReference: 'x' }, '2026-02-02T00:00:00Z')
      .reverse('O-1', '2026-02-20T00:00:00Z', 1_000_000)
      .deal('O-2', '2026-03-01T00:00:00Z', '2026-04-10T00:00:00Z', 2_000_000);
    const m = model(log, '2026-04-30T00:00:00Z');
    const c = computeCommission(m, soleSourced(m, { 'O-1': 'P-1', 'O-2': 'P-1' }));
    const [s] = statements(c, { asOf: m.asOf });
    expect(s!.currency).toBe('USD');
    expect(
      s!.months.map((x) => [x.month, x.opening, x.earned, x.clawedBack, x.adjusted, x.paid, x.closing]),
    ).toEqual([
      ['2026-01', 0, 150_000, 0, 0, 0, 150_000],
      ['2026-02', 150_000, 0, 150_000, 0, 150_000, -150_000],
      ['2026-03', -150_000, 0, 0, 0, 0, -150_000],
      // 15 % of 2,000,000 = 300,000 earned; the owed balance is 150,000 after netting
      ['2026-04', -150_000, 300_000, 0, 0, 0, 150_000],
    ]);
    expect(s!.months[1]!.lines).toEqual([
      { date: '2026-02-02T00:00:00.000Z', kind: 'payout', payoutId: 'PO-1', amount: -150_000 },
      {
        date: '2026-02-20T00:00:00.000Z',
        kind: 'clawback',
        opportunityId: 'O-1',
        amount: -150_000,
        reason: 'refund',
      },
    ]);
  });

  it('puts movements in the months of a time zone', () => {
    // 31 Jan 23:30 UTC is 1 Feb 00:30 in Berlin.
    expect(monthIn(Date.parse('2026-01-31T23:30:00Z'))).toBe('2026-01');
    expect(monthIn(Date.parse('2026-01-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-02');
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-01-31T23:30:00Z', 1_000_000);
    const m = model(log, '2026-02-10T00:00:00Z');
    const c = computeCommission(m, soleSourced(m, { 'O-1': 'P-1' }));
    expect(
      statements(c, { asOf: m.asOf, timeZone: 'Europe/Berlin' })[0]!.months.map((x) => [x.month, x.earned]),
    ).toEqual([['2026-02', 150_000]]);
  });
});
