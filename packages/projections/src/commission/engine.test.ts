import { describe, expect, it } from 'vitest';
import { computeCommission } from './engine.ts';
import { credit, Log, model, rules, soleSourced } from './fixture.ts';
import type { CommissionResult } from './types.ts';

const partner = (r: CommissionResult, id: string) => r.partners.find((p) => p.partnerId === id)!;

describe('rates by kind and tier', () => {
  it('pays a silver sourced partner 15 % of its credit (first-to-register scenario)', () => {
    const log = new Log().partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' });
    log.deal('O-1', '2026-01-20T15:00:00Z', '2026-02-01T17:00:00Z', 12_000_000);
    const m = model(log, '2026-03-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    expect(p.lines).toHaveLength(1);
    expect(p.lines[0]).toMatchObject({
      opportunityId: 'O-1',
      kind: 'sourced',
      tier: 'silver',
      schedule: 'one-time',
      accruesAt: '2026-02-01T17:00:00.000Z',
      currency: 'USD',
      credited: 12_000_000,
      rateBps: 1500,
      commission: 1_800_000,
      outsideTerms: 0,
      clawedBack: 0,
      payoutAmount: 1_800_000,
      eligible: true,
    });
    expect(p.earned).toBe(1_800_000);
    expect(p.outstanding).toBe(1_800_000);
    expect(p.lines[0]!.explanation.join('\n')).toContain('e-1 @1');
  });

  it('pays each party of a shared deal at its own kind, rounding half up', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' })
      .partner('P-2', '2026-01-01T00:00:00Z', { tier: 'bronze' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 10_001);
    const m = model(log, '2026-03-01T00:00:00Z');
    const att = new Map([
      [
        'O-1',
        credit(m, 'O-1', [
          { partyId: 'P-1', kind: 'sourced', share: 0.5 },
          { partyId: 'P-2', kind: 'influenced', share: 0.3 },
          { partyId: 'house', kind: 'house', share: 0.2 },
        ]),
      ],
    ]);
    const r = computeCommission(m, att);
    // 10001 × 0.5 = 5000.5 → 5001 (largest remainder); × 2000 / 10000 = 1000.2 → 1000
    expect(partner(r, 'P-1').lines[0]).toMatchObject({ credited: 5001, rateBps: 2000, commission: 1000 });
    // 10001 × 0.3 = 3000.3 → 3000; × 500 / 10000 = 150
    expect(partner(r, 'P-2').lines[0]).toMatchObject({ kind: 'influenced', credited: 3000, commission: 150 });
  });

  it('uses the tier at each close when the tier changes between two deals', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z')
      .deal('O-A', '2026-01-10T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
      .add('PartnerTierChanged', { partnerId: 'P-1', tier: 'gold' }, '2026-03-01T00:00:00Z')
      .deal('O-B', '2026-02-10T00:00:00Z', '2026-03-15T00:00:00Z', 1_000_000);
    const m = model(log, '2026-04-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-A': 'P-1', 'O-B': 'P-1' })), 'P-1');
    expect(p.lines.map((l) => [l.opportunityId, l.tier, l.commission])).toEqual([
      ['O-A', 'bronze', 100_000],
      ['O-B', 'gold', 200_000],
    ]);
  });

  it('computes auto tiers from sourced won deals in the window before the close, excluding this one', () => {
    const log = new Log().partner('P-1', '2025-01-01T00:00:00Z', { tier: 'gold' });
    log.deal('O-0', '2025-01-02T00:00:00Z', '2025-01-05T00:00:00Z', 1_000_000); // a year before the others
    log.deal('O-1', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z', 1_000_000);
    log.deal('O-2', '2026-01-01T00:00:00Z', '2026-02-10T00:00:00Z', 1_000_000);
    log.deal('O-3', '2026-01-01T00:00:00Z', '2026-03-10T00:00:00Z', 1_000_000);
    log.deal('O-4', '2026-01-01T00:00:00Z', '2026-04-10T00:00:00Z', 1_000_000);
    const r = rules({ tiers: { mode: 'auto', silverDeals: 2, goldDeals: 3, windowDays: 365 } });
    const m = model(log, '2026-05-01T00:00:00Z', r);
    const who = { 'O-0': 'P-1', 'O-1': 'P-1', 'O-2': 'P-1', 'O-3': 'P-1', 'O-4': 'P-1' };
    const p = partner(computeCommission(m, soleSourced(m, who)), 'P-1');
    // O-0: none before → bronze; O-1: O-0 closed 370 days earlier, outside the window → bronze;
    // O-2: O-1 → 1, bronze; O-3: O-1, O-2 → silver; O-4: O-1..O-3 → gold
    expect(p.lines.map((l) => [l.opportunityId, l.tier, l.commission])).toEqual([
      ['O-0', 'bronze', 100_000],
      ['O-1', 'bronze', 100_000],
      ['O-2', 'bronze', 100_000],
      ['O-3', 'silver', 150_000],
      ['O-4', 'gold', 200_000],
    ]);
  });
});

describe('programs, minimum deal and cap', () => {
  it('gives a customer the whole reward of the highest band, not prorated, and only for a sourced credit', () => {
    const log = new Log()
      .partner('C-1', '2026-01-01T00:00:00Z', { program: 'customer' })
      .partner('E-1', '2026-01-01T00:00:00Z', { program: 'employee' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 6_000_000);
    const r = rules({
      commission: {
        rewards: {
          customer: [
            { minDealValue: 0, reward: 50_000 },
            { minDealValue: 5_000_000, reward: 100_000 },
            { minDealValue: 10_000_000, reward: 200_000 },
          ],
        },
      },
    });
    const m = model(log, '2026-03-01T00:00:00Z', r);
    const att = new Map([
      [
        'O-1',
        credit(m, 'O-1', [
          { partyId: 'C-1', kind: 'sourced', share: 0.5 },
          { partyId: 'E-1', kind: 'influenced', share: 0.5 },
        ]),
      ],
    ]);
    const res = computeCommission(m, att);
    expect(partner(res, 'C-1').lines[0]).toMatchObject({ commission: 100_000, eligible: true });
    expect(partner(res, 'E-1').lines[0]).toMatchObject({
      commission: 0,
      eligible: false,
      reason: 'not-sourced',
    });
  });

  it('makes a deal below minDealValue ineligible and caps each line per deal', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' })
      .deal('O-small', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 400_000)
      .deal('O-big', '2026-01-05T00:00:00Z', '2026-02-02T00:00:00Z', 1_000_000);
    const r = rules({ commission: { minDealValue: 500_000, capPerDeal: 150_000 } });
    const m = model(log, '2026-03-01T00:00:00Z', r);
    const p = partner(computeCommission(m, soleSourced(m, { 'O-small': 'P-1', 'O-big': 'P-1' })), 'P-1');
    expect(p.lines[0]).toMatchObject({
      opportunityId: 'O-small',
      commission: 0,
      eligible: false,
      reason: 'below-min-deal-value',
    });
    // 20 % of 1,000,000 = 200,000, capped at 150,000
    expect(p.lines[1]).toMatchObject({ opportunityId: 'O-big', rateBps: 2000, commission: 150_000 });
    expect(p.earned).toBe(150_000);
  });

  it('makes no line for a credit to a party that is not enrolled, and lists every enrolled partner', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z')
      .partner('P-idle', '2026-01-01T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000);
    const m = model(log, '2026-03-01T00:00:00Z');
    const res = computeCommission(m, soleSourced(m, { 'O-1': 'P-ghost' }));
    expect(res.partners.map((p) => [p.partnerId, p.lines.length, p.earned])).toEqual([
      ['P-1', 0, 0],
      ['P-idle', 0, 0],
    ]);
  });
});

describe('conditions (SPEC §6.2)', () => {
  const conditions = [
    {
      name: 'region-restriction',
      when: { all: [{ field: 'deal.attributes.region', op: 'in', value: ['RU', 'BY'] }] },
      then: { rateBps: 0, reason: 'restricted-region' },
    },
    {
      name: 'enterprise-boost',
      when: {
        all: [
          { field: 'deal.attributes.segment', op: 'eq', value: 'enterprise' },
          {
            any: [
              { field: 'partner.tier', op: 'eq', value: 'gold' },
              { field: 'deal.value', op: 'gte', value: 5_000_000 },
            ],
          },
        ],
      },
      then: { rateBps: 2500 },
    },
    {
      name: 'no-segment-flat',
      when: { all: [{ field: 'deal.attributes.segment', op: 'neq', value: 'smb' }] },
      then: { flat: 30_000 },
    },
  ];

  it('decides a line by the first condition whose group holds, naming it', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .partner('P-2', '2026-01-01T00:00:00Z', { tier: 'bronze' })
      .deal('O-ent', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 6_000_000, {
        attributes: { segment: 'enterprise' },
      })
      .deal('O-ent-small', '2026-01-05T00:00:00Z', '2026-02-02T00:00:00Z', 1_000_000, {
        attributes: { segment: 'enterprise' },
      })
      .deal('O-smb', '2026-01-05T00:00:00Z', '2026-02-03T00:00:00Z', 1_000_000, {
        attributes: { segment: 'smb' },
      })
      .deal('O-none', '2026-01-05T00:00:00Z', '2026-02-04T00:00:00Z', 1_000_000);
    const r = rules({ commission: { conditions } });
    const m = model(log, '2026-03-01T00:00:00Z', r);
    const att = soleSourced(m, { 'O-ent': 'P-1', 'O-ent-small': 'P-1', 'O-smb': 'P-1' });
    att.set(
      'O-none',
      credit(m, 'O-none', [
        { partyId: 'P-1', kind: 'sourced', share: 0.5 },
        { partyId: 'P-2', kind: 'influenced', share: 0.5 },
      ]),
    );
    const res = computeCommission(m, att);
    const lines = partner(res, 'P-1').lines.map((l) => [
      l.opportunityId,
      l.condition ?? null,
      l.rateBps,
      l.commission,
    ]);
    expect(lines).toEqual([
      // enterprise and ≥ 50,000.00: 25 % of 6,000,000
      ['O-ent', 'enterprise-boost', 2500, 1_500_000],
      // enterprise but silver and small: the boost fails, segment ≠ smb → flat 300.00
      ['O-ent-small', 'no-segment-flat', 0, 30_000],
      // smb: no condition, silver sourced 15 %
      ['O-smb', null, 1500, 150_000],
      // a missing segment satisfies `neq`: flat, not multiplied by the 50 % share
      ['O-none', 'no-segment-flat', 0, 30_000],
    ]);
    expect(partner(res, 'P-2').lines[0]).toMatchObject({ condition: 'no-segment-flat', commission: 30_000 });
  });

  it('a missing field fails eq / in / gt and a restriction zeroes the one-time and recurring lines', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-ru', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000, {
        attributes: { region: 'RU', segment: 'smb' },
        contractMonths: 24,
      })
      .deal('O-x', '2026-01-05T00:00:00Z', '2026-02-02T00:00:00Z', 1_000_000, {
        attributes: { segment: 'smb' },
      });
    const r = rules({
      commission: { conditions, recurring: { rates: { bronze: 500, silver: 750, gold: 1000 } } },
    });
    const m = model(log, '2026-03-01T00:00:00Z', r);
    const p = partner(computeCommission(m, soleSourced(m, { 'O-ru': 'P-1', 'O-x': 'P-1' })), 'P-1');
    const ru = p.lines.filter((l) => l.opportunityId === 'O-ru');
    expect(ru.map((l) => [l.schedule, l.commission, l.eligible, l.reason, l.condition])).toEqual([
      ['one-time', 0, false, 'restricted-region', 'region-restriction'],
      ['recurring', 0, false, 'restricted-region', 'region-restriction'],
    ]);
    const x = p.lines.filter((l) => l.opportunityId === 'O-x');
    expect(x.map((l) => [l.schedule, l.commission, l.condition ?? null])).toEqual([
      ['one-time', 150_000, null],
      ['recurring', 75_000, null],
    ]);
  });
});

describe('limits (SPEC §6.2)', () => {
  it('clamps two lines in one month in accrual order, not log order, keeping the rest outside terms', () => {
    const log = new Log().partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' });
    log.deal('O-late', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z', 1_000_000); // logged first
    log.deal('O-early', '2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z', 1_000_000);
    log.deal('O-april', '2026-03-01T00:00:00Z', '2026-04-02T00:00:00Z', 1_000_000);
    const r = rules({ commission: { limits: [{ scope: 'partner', interval: 'month', amount: 250_000 }] } });
    const m = model(log, '2026-05-01T00:00:00Z', r);
    const p = partner(
      computeCommission(m, soleSourced(m, { 'O-late': 'P-1', 'O-early': 'P-1', 'O-april': 'P-1' })),
      'P-1',
    );
    expect(p.lines.map((l) => [l.opportunityId, l.commission, l.outsideTerms])).toEqual([
      ['O-early', 200_000, 0],
      ['O-late', 50_000, 150_000],
      ['O-april', 200_000, 0],
    ]);
    expect(p.earned).toBe(450_000);
  });
});

describe('limits across intervals and currencies', () => {
  it('an all-time limit spans months; a EUR line counts against the USD budget at its accrual rate', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' })
      .fx('EUR', 'USD', '1.25', '2026-01-01T00:00:00Z')
      .deal('O-jan', '2026-01-02T00:00:00Z', '2026-01-10T00:00:00Z', 1_000_000)
      .deal('O-may', '2026-01-02T00:00:00Z', '2026-05-10T00:00:00Z', 1_000_000, { currency: 'EUR' });
    const r = rules({ commission: { limits: [{ scope: 'partner', interval: 'all', amount: 300_000 }] } });
    const m = model(log, '2026-06-01T00:00:00Z', r);
    const p = partner(computeCommission(m, soleSourced(m, { 'O-jan': 'P-1', 'O-may': 'P-1' })), 'P-1');
    // Jan: $2,000.00 of the $3,000.00 budget; May: €2,000.00 = $2,500.00 but only $1,000.00 is
    // left = €800.00 earning, €1,200.00 outside terms.
    expect(p.lines.map((l) => [l.opportunityId, l.currency, l.commission, l.outsideTerms])).toEqual([
      ['O-jan', 'USD', 200_000, 0],
      ['O-may', 'EUR', 80_000, 120_000],
    ]);
  });
});

describe('recurring commission (SPEC §6.3)', () => {
  it('earns a line per contract year on anniversaries and stops after a churn', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-10T00:00:00Z', '2026-02-01T00:00:00Z', 2_400_000, { contractMonths: 36 })
      .reverse('O-1', '2026-12-01T00:00:00Z', 2_400_000, 'churn');
    const r = rules({ commission: { recurring: { rates: { bronze: 500, silver: 750, gold: 1000 } } } });
    const m = model(log, '2027-03-01T00:00:00Z', r);
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    // The churn lands 303 days after the close: outside the 90-day clawback window.
    // Year 3 (2028-02-01) accrues after T and is not listed.
    expect(
      p.lines.map((l) => [
        l.schedule,
        l.period ?? null,
        l.accruesAt,
        l.commission,
        l.eligible,
        l.reason ?? null,
      ]),
    ).toEqual([
      ['one-time', null, '2026-02-01T00:00:00.000Z', 360_000, true, null],
      ['recurring', 1, '2026-02-01T00:00:00.000Z', 180_000, true, null],
      ['recurring', 2, '2027-02-01T00:00:00.000Z', 0, false, 'churned'],
    ]);
    expect(p.earned).toBe(540_000);
  });

  it('accrues years on clamped anniversaries (31 January + 12 months stays 31 January; 29 February clamps)', () => {
    const log = new Log()
      .partner('P-1', '2020-01-01T00:00:00Z', { tier: 'bronze' })
      .deal('O-1', '2024-01-10T00:00:00Z', '2024-02-29T12:00:00Z', 1_000_000, { contractMonths: 13 });
    const r = rules({ commission: { recurring: { rates: { bronze: 500, silver: 750, gold: 1000 } } } });
    const m = model(log, '2026-01-01T00:00:00Z', r);
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    expect(p.lines.filter((l) => l.schedule === 'recurring').map((l) => [l.period, l.accruesAt])).toEqual([
      [1, '2024-02-29T12:00:00.000Z'],
      [2, '2025-02-28T12:00:00.000Z'],
    ]);
  });
});

describe('currencies (SPEC §6.4)', () => {
  it('pays a JPY deal in EUR at the rate in force at the accrual', () => {
    const log = new Log()
      .partner('P-EU', '2026-01-01T00:00:00Z', { tier: 'silver', payoutCurrency: 'EUR' })
      .fx('JPY', 'EUR', '0.0060', '2026-01-01T00:00:00Z')
      .fx('JPY', 'EUR', '0.0062', '2026-01-31T00:00:00Z')
      .fx('JPY', 'EUR', '0.0070', '2026-02-15T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000, { currency: 'JPY' });
    const m = model(log, '2026-03-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-EU' })), 'P-EU');
    // ¥1,000,000 × 15 % = ¥150,000; × 0.0062 = €930.00 = 93,000 cents
    expect(p.lines[0]).toMatchObject({
      currency: 'JPY',
      commission: 150_000,
      payoutAmount: 93_000,
      fxRate: '0.0062',
    });
    expect(p).toMatchObject({ currency: 'EUR', earned: 93_000 });
    // explain cites the rate's event (the 0.0062 recorded third)
    expect(p.lines[0]!.explanation.join('\n')).toContain('× 0.0062 (event e-3 @3)');
  });

  it('converts exactly: 100 cents × 1.005 is 100.5, rounded half up to 101 where a float gives 100', () => {
    expect(Math.round(100 * 1.005)).toBe(100); // the float trap
    const log = new Log()
      .partner('P-EU', '2026-01-01T00:00:00Z', { payoutCurrency: 'EUR' })
      .fx('USD', 'EUR', '1.005', '2026-01-01T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1000);
    const m = model(log, '2026-03-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-EU' })), 'P-EU');
    expect(p.lines[0]).toMatchObject({ commission: 100, payoutAmount: 101 });
  });

  it('uses the reciprocal of the opposite rate, and marks a line with no rate missing-fx-rate', () => {
    const log = new Log()
      .partner('P-EU', '2026-01-01T00:00:00Z', { payoutCurrency: 'EUR' })
      .partner('P-GB', '2026-01-01T00:00:00Z', { payoutCurrency: 'GBP' })
      .fx('EUR', 'USD', '1.25', '2026-01-01T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000);
    const m = model(log, '2026-03-01T00:00:00Z');
    const att = new Map([
      [
        'O-1',
        credit(m, 'O-1', [
          { partyId: 'P-EU', kind: 'sourced', share: 0.5 },
          { partyId: 'P-GB', kind: 'influenced', share: 0.5 },
        ]),
      ],
    ]);
    const res = computeCommission(m, att);
    // 500,000 × 10 % = 50,000 USD cents; / 1.25 = 40,000 EUR cents
    expect(partner(res, 'P-EU').lines[0]).toMatchObject({
      commission: 50_000,
      payoutAmount: 40_000,
      fxRate: '1/1.25',
    });
    expect(partner(res, 'P-GB').lines[0]).toMatchObject({
      commission: 0,
      eligible: false,
      reason: 'missing-fx-rate',
    });
  });

  it('converts rule-set amounts into the deal currency at the close', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold', payoutCurrency: 'EUR' })
      .fx('USD', 'EUR', '0.9', '2026-01-01T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000, { currency: 'EUR' });
    // cap 100,000 USD cents = 90,000 EUR cents; 20 % of €10,000 = €2,000 capped at €900
    const m = model(log, '2026-03-01T00:00:00Z', rules({ commission: { capPerDeal: 100_000 } }));
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    expect(p.lines[0]).toMatchObject({ currency: 'EUR', commission: 90_000, payoutAmount: 90_000 });
  });
});

describe('clawbacks (SPEC §6.1)', () => {
  it('claws back refunds inside the window, rounding half up, and ignores one outside it', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 2220)
      .reverse('O-1', '2026-03-03T00:00:00Z', 1110) // day 30: inside
      .reverse('O-1', '2026-05-12T00:00:00Z', 1110); // day 100: outside the 90 days
    const m = model(log, '2026-06-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    // 2220 × 15 % = 333; 333 × 1110 / 2220 = 166.5 → 167
    expect(p.lines[0]).toMatchObject({ commission: 333, clawedBack: 167, payoutAmount: 166 });
    expect(p.lines[0]!.clawbacks).toHaveLength(1);
    expect(p.earned).toBe(166);
  });

  it('never claws back more than the line', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
      .reverse('O-1', '2026-02-10T00:00:00Z', 800_000)
      .reverse('O-1', '2026-02-11T00:00:00Z', 800_000);
    const m = model(log, '2026-06-01T00:00:00Z');
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    expect(p.lines[0]).toMatchObject({ commission: 150_000, clawedBack: 150_000, payoutAmount: 0 });
    expect(p.lines[0]!.clawbacks.map((c) => c.amount)).toEqual([120_000, 30_000]);
  });
});

describe('approvals, hold, disputes, payouts (SPEC §6.1)', () => {
  const base = () =>
    new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
      .add(
        'CommissionApproved',
        {
          opportunityId: 'O-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          approvedBy: 'fin',
        },
        '2026-02-02T00:00:00Z',
      );

  it('holds an approval until holdDays after the latest accrual', () => {
    const log = base();
    const during = model(log, '2026-03-02T23:59:59Z');
    expect(partner(computeCommission(during, soleSourced(during, { 'O-1': 'P-1' })), 'P-1')).toMatchObject({
      approved: 150_000,
      payable: 0,
    });
    const after = model(log, '2026-03-03T00:00:00Z'); // 1 Feb + 30 days
    expect(partner(computeCommission(after, soleSourced(after, { 'O-1': 'P-1' })), 'P-1')).toMatchObject({
      approved: 150_000,
      payable: 150_000,
    });
  });

  it('does not pay a disputed opportunity', () => {
    const m = model(base(), '2026-04-01T00:00:00Z');
    const att = new Map([
      ['O-1', credit(m, 'O-1', [{ partyId: 'P-1', kind: 'sourced', share: 1 }], { disputed: true })],
    ]);
    expect(partner(computeCommission(m, att), 'P-1')).toMatchObject({ approved: 150_000, payable: 0 });
  });

  it('counts sent payouts as paid, not failed or reversed ones; adjustments add to earned', () => {
    const log = base()
      .add(
        'CommissionAdjusted',
        {
          opportunityId: 'O-1',
          partnerId: 'P-1',
          amount: { amount: -10_000, currency: 'USD' },
          reason: 'goodwill',
          approvedBy: 'fin',
        },
        '2026-03-10T00:00:00Z',
      )
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 50_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-03-05T00:00:00Z',
      )
      .add('PayoutSent', { payoutId: 'PO-1', providerReference: 'x' }, '2026-03-06T00:00:00Z')
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-2',
          partnerId: 'P-1',
          amount: { amount: 20_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-03-07T00:00:00Z',
      )
      .add('PayoutFailed', { payoutId: 'PO-2', reason: 'bank' }, '2026-03-08T00:00:00Z')
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-3',
          partnerId: 'P-1',
          amount: { amount: 30_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-03-07T00:00:00Z',
      )
      .add('PayoutSent', { payoutId: 'PO-3', providerReference: 'y' }, '2026-03-08T00:00:00Z')
      .add('PayoutReversed', { payoutId: 'PO-3', reason: 'returned' }, '2026-03-09T00:00:00Z');
    const m = model(log, '2026-04-01T00:00:00Z');
    expect(partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1')).toMatchObject({
      earned: 140_000,
      approved: 150_000,
      paid: 50_000,
      payable: 100_000,
      outstanding: 90_000,
    });
  });

  it('makes payable negative when a refund lands after payment', () => {
    const log = base()
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-03-05T00:00:00Z',
      )
      .add('PayoutSent', { payoutId: 'PO-1', providerReference: 'x' }, '2026-03-06T00:00:00Z')
      .reverse('O-1', '2026-03-20T00:00:00Z', 400_000);
    const m = model(log, '2026-04-01T00:00:00Z');
    // 150,000 × 400,000 / 1,000,000 = 60,000 clawed back after approval and payment
    expect(partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1')).toMatchObject({
      earned: 90_000,
      approved: 90_000,
      paid: 150_000,
      payable: -60_000,
      outstanding: -60_000,
    });
  });
});

describe('partner-referral (two-tier) lines', () => {
  it('earns the recruiter rateBps of each recruit line accruing within months of its enrolment', () => {
    const log = new Log()
      .partner('P-R', '2025-01-01T00:00:00Z', { tier: 'gold' })
      .partner('P-N', '2026-01-01T00:00:00Z', { tier: 'silver', referredBy: 'P-R' })
      .deal('O-in', '2026-01-05T00:00:00Z', '2026-03-01T00:00:00Z', 1_000_000)
      .deal('O-out', '2026-01-05T00:00:00Z', '2026-07-01T00:00:00Z', 1_000_000);
    const r = rules({ commission: { partnerReferral: { rateBps: 1000, months: 6 } } });
    const m = model(log, '2026-08-01T00:00:00Z', r);
    const res = computeCommission(m, soleSourced(m, { 'O-in': 'P-N', 'O-out': 'P-N' }));
    expect(partner(res, 'P-N').earned).toBe(300_000);
    // Enrolled 1 Jan: the window is [1 Jan, 1 Jul), so the 1 Jul deal earns P-R nothing.
    expect(
      partner(res, 'P-R').lines.map((l) => [
        l.opportunityId,
        l.kind,
        l.tier,
        l.credited,
        l.rateBps,
        l.commission,
      ]),
    ).toEqual([['O-in', 'referral', 'gold', 150_000, 1000, 15_000]]);
  });
});

describe('payable policy', () => {
  it('answers what may still be scheduled: payable less unsent scheduled payouts, in the payout currency only', async () => {
    const { payablePolicy } = await import('./payable.ts');
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
      .add(
        'CommissionApproved',
        {
          opportunityId: 'O-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          approvedBy: 'fin',
        },
        '2026-02-02T00:00:00Z',
      )
      .add(
        'PayoutScheduled',
        {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 40_000, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        '2026-03-10T00:00:00Z',
      );
    const m = model(log, '2026-04-01T00:00:00Z');
    const policy = payablePolicy(m, soleSourced(m, { 'O-1': 'P-1' }));
    // 1 Apr: 150,000 payable, of which 40,000 is already scheduled and not yet sent
    expect(policy.payable('P-1', 'USD', '2026-04-01T00:00:00Z')).toBe(110_000);
    expect(policy.payable('P-1', 'EUR', '2026-04-01T00:00:00Z')).toBe(0);
    expect(policy.payable('P-404', 'USD', '2026-04-01T00:00:00Z')).toBe(0);
  });
});

describe('computed once per model', () => {
  it('returns the same figures to every report of a run, and recomputes when the model or the time changes', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000);
    const m = model(log, '2026-03-01T00:00:00Z');
    const att = soleSourced(m, { 'O-1': 'P-1' });
    const first = computeCommission(m, att, { explain: false });
    expect(computeCommission(m, att, { explain: false })).toBe(first);
    // an explained result is computed anew, and then serves both
    const explained = computeCommission(m, att);
    expect(explained).not.toBe(first);
    expect(explained.partners[0]!.lines[0]!.explanation.length).toBeGreaterThan(0);
    expect(computeCommission(m, att, { explain: false })).toBe(explained);
    expect(computeCommission(m, att, { at: Date.parse('2026-02-15T00:00:00Z') })).not.toBe(explained);
    expect(computeCommission(m, new Map(att))).not.toBe(explained);
  });
});

describe('rule versions', () => {
  it('prices each deal with the rule set published in force at its close', async () => {
    const { buildModel } = await import('../model.ts');
    const published = (version: string, effectiveFrom: string, silver: number) => ({
      version,
      effectiveFrom,
      rules: { commission: { rates: { sourced: { bronze: 1000, silver, gold: 2000 } } } },
    });
    const log = new Log()
      .add('RuleSetPublished', published('v1', '2025-01-01T00:00:00Z', 1500), '2025-01-01T00:00:00Z')
      .add('RuleSetPublished', published('v2', '2026-03-01T00:00:00Z', 1800), '2026-02-20T00:00:00Z')
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-feb', '2026-01-05T00:00:00Z', '2026-02-15T00:00:00Z', 1_000_000)
      .deal('O-mar', '2026-01-05T00:00:00Z', '2026-03-15T00:00:00Z', 1_000_000);
    const m = buildModel(log.events, { asOf: '2026-04-01T00:00:00Z' });
    const p = partner(computeCommission(m, soleSourced(m, { 'O-feb': 'P-1', 'O-mar': 'P-1' })), 'P-1');
    expect(p.lines.map((l) => [l.opportunityId, l.rateBps, l.commission])).toEqual([
      ['O-feb', 1500, 150_000],
      ['O-mar', 1800, 180_000],
    ]);
  });
});
