import { describe, expect, it } from 'vitest';
import { credit, Log, model, rules } from './fixture.ts';
import { commissionReport, leaderboardReport, partnersReport, payoutsReport } from './report.ts';
import type { CommissionAttribution } from './types.ts';

function setup() {
  const log = new Log()
    .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
    .partner('P-2', '2026-01-01T00:00:00Z', { tier: 'gold', payoutCurrency: 'EUR' })
    .partner('P-3', '2026-01-01T00:00:00Z')
    .fx('EUR', 'USD', '1.1', '2026-01-01T00:00:00Z')
    .add(
      'ReferralSubmitted',
      {
        referralId: 'R-1',
        partnerId: 'P-1',
        channel: 'portal',
        lead: { firstName: 'a', lastName: 'b', email: 'a@o-1.example', company: 'O-1' },
      },
      '2026-01-03T00:00:00Z',
    )
    .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
    .deal('O-2', '2026-01-05T00:00:00Z', '2026-02-10T00:00:00Z', 500_000, { currency: 'EUR' })
    .add(
      'OpportunityOpened',
      {
        opportunityId: 'O-3',
        accountDomain: 'o-3.example',
        accountName: 'O-3',
        value: { amount: 300_000, currency: 'USD' },
        ownerId: 'r',
      },
      '2026-02-15T00:00:00Z',
    )
    .add(
      'OpportunityOpened',
      {
        opportunityId: 'O-4',
        accountDomain: 'o-4.example',
        accountName: 'O-4',
        value: { amount: 300_000, currency: 'USD' },
        ownerId: 'r',
      },
      '2026-02-15T00:00:00Z',
    )
    .add('OpportunityLost', { opportunityId: 'O-4', reason: 'price' }, '2026-02-20T00:00:00Z')
    .add(
      'PayoutScheduled',
      {
        payoutId: 'PO-1',
        partnerId: 'P-2',
        amount: { amount: 10_000, currency: 'EUR' },
        lines: [{ opportunityId: 'O-2', amount: { amount: 10_000, currency: 'EUR' } }],
        provider: 'wise',
      },
      '2026-02-25T00:00:00Z',
    );
  const m = model(log, '2026-03-01T00:00:00Z', rules());
  const att = new Map<string, CommissionAttribution>([
    [
      'O-1',
      credit(m, 'O-1', [
        { partyId: 'P-1', kind: 'sourced', share: 0.6 },
        { partyId: 'P-2', kind: 'influenced', share: 0.4 },
      ]),
    ],
    ['O-2', credit(m, 'O-2', [{ partyId: 'P-2', kind: 'sourced', share: 1 }])],
    ['O-3', credit(m, 'O-3', [{ partyId: 'P-1', kind: 'sourced', share: 1 }])],
    ['O-4', credit(m, 'O-4', [{ partyId: 'P-1', kind: 'sourced', share: 1 }])],
  ]);
  return { m, att };
}

describe('money reports', () => {
  it('partners: credited amounts in the rule set currency, converted at close; win rate of closed deals', () => {
    const { m, att } = setup();
    const r = partnersReport(m, att);
    expect(r.currency).toBe('USD');
    expect(
      r.partners.map((p) => [
        p.partnerId,
        p.referrals,
        p.pipeline,
        p.wonRevenue,
        p.wonDeals,
        p.commission,
        p.winRate,
      ]),
    ).toEqual([
      // O-1 600,000 won, O-3 300,000 open, O-4 lost; commission 15 % of 600,000 = 90,000
      ['P-1', 1, 300_000, 600_000, 1, 90_000, 0.5],
      // O-1 400,000 + O-2 €5,000.00 × 1.1 = 550,000; commission 5 % of 400,000 = 20,000 + 20 % of €5,000 = €1,000 = 110,000
      ['P-2', 0, 0, 950_000, 2, 130_000, 1],
      ['P-3', 0, 0, 0, 0, 0, null],
    ]);
  });

  it('leaderboard ranks by won revenue and scopes to one partner', () => {
    const { m, att } = setup();
    expect(leaderboardReport(m, att).partners.map((p) => [p.rank, p.partnerId])).toEqual([
      [1, 'P-2'],
      [2, 'P-1'],
      [3, 'P-3'],
    ]);
    expect(leaderboardReport(m, att, { partner: 'P-1' }).partners).toEqual([
      { rank: 2, partnerId: 'P-1', wonRevenue: 600_000, wonDeals: 1, referrals: 1 },
    ]);
  });

  it('commission and payouts JSON carry the SPEC §9 fields, partner-scoped', () => {
    const { m, att } = setup();
    const c = commissionReport(m, att, { partner: 'P-2' });
    expect(c.partners.map((p) => p.partnerId)).toEqual(['P-2']);
    // 20,000 USD cents / 1.1 = 18,181.8 → 18,182 EUR cents, plus €1,000.00 on O-2
    expect(c.partners[0]).toMatchObject({ currency: 'EUR', earned: 18_182 + 100_000 });
    expect(Object.keys(c.partners[0]!.lines[0]!)).toEqual([
      'partnerId',
      'opportunityId',
      'kind',
      'tier',
      'schedule',
      'accruesAt',
      'currency',
      'credited',
      'rateBps',
      'commission',
      'outsideTerms',
      'clawedBack',
      'payoutAmount',
      'fxRate',
      'eligible',
    ]);
    expect(payoutsReport(m, { partner: 'P-1' }).payouts).toEqual([]);
    expect(payoutsReport(m).payouts[0]).toMatchObject({
      payoutId: 'PO-1',
      partnerId: 'P-2',
      amount: 10_000,
      status: 'scheduled',
      provider: 'wise',
    });
  });
});
