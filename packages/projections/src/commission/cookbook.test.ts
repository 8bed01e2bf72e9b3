import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RuleSet, resolveRuleSet } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { computeCommission } from './engine.ts';
import { credit, Log, model, soleSourced } from './fixture.ts';
import type { CommissionResult } from './types.ts';

/** The rule sets of docs/rules-cookbook.md, loaded as users would load them. */
const cookbook = resolve(import.meta.dirname, '../../../../docs/cookbook');
const load = (name: string): RuleSet =>
  resolveRuleSet(JSON.parse(readFileSync(join(cookbook, `${name}.json`), 'utf8')), name);
const partner = (r: CommissionResult, id: string) => r.partners.find((p) => p.partnerId === id)!;

describe('rules cookbook (docs/cookbook/*.json)', () => {
  it('tiered partner rates with auto tiers: three wins make silver', () => {
    const log = new Log().partner('P-1', '2026-01-01T00:00:00Z');
    for (let i = 1; i <= 4; i += 1)
      log.deal(`O-${i}`, '2026-01-02T00:00:00Z', `2026-0${i + 1}-01T00:00:00Z`, 5_000_000);
    const m = model(log, '2026-12-31T00:00:00Z', load('tiered-partner-rates'));
    const p = partner(
      computeCommission(m, soleSourced(m, { 'O-1': 'P-1', 'O-2': 'P-1', 'O-3': 'P-1', 'O-4': 'P-1' })),
      'P-1',
    );
    // $50,000.00 at 10 % = $5,000.00 three times (0, 1, 2 earlier wins), then 15 % = $7,500.00
    expect(p.lines.map((l) => [l.tier, l.commission])).toEqual([
      ['bronze', 500_000],
      ['bronze', 500_000],
      ['bronze', 500_000],
      ['silver', 750_000],
    ]);
    expect(p.earned).toBe(2_250_000);
  });

  it('a customer reward band: a $20,000.00 deal earns the $500.00 band', () => {
    const log = new Log()
      .partner('C-1', '2026-01-01T00:00:00Z', { program: 'customer' })
      .deal('O-1', '2026-01-02T00:00:00Z', '2026-02-01T00:00:00Z', 2_000_000);
    const m = model(log, '2026-12-31T00:00:00Z', load('customer-reward-band'));
    expect(partner(computeCommission(m, soleSourced(m, { 'O-1': 'C-1' })), 'C-1').earned).toBe(50_000);
  });

  it('an enterprise boost: 25 % on sourced enterprise deals of $100,000.00 or more', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-big', '2026-01-02T00:00:00Z', '2026-02-01T00:00:00Z', 15_000_000, {
        attributes: { segment: 'enterprise' },
      })
      .deal('O-small', '2026-01-02T00:00:00Z', '2026-02-02T00:00:00Z', 5_000_000, {
        attributes: { segment: 'enterprise' },
      });
    const m = model(log, '2026-12-31T00:00:00Z', load('enterprise-boost'));
    const p = partner(computeCommission(m, soleSourced(m, { 'O-big': 'P-1', 'O-small': 'P-1' })), 'P-1');
    // $150,000.00 × 25 % = $37,500.00; $50,000.00 × 15 % = $7,500.00
    expect(p.lines.map((l) => [l.opportunityId, l.condition ?? null, l.commission])).toEqual([
      ['O-big', 'enterprise-boost', 3_750_000],
      ['O-small', null, 750_000],
    ]);
  });

  it('a region restriction zeroes the one-time and recurring lines with a reason', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' })
      .deal('O-1', '2026-01-02T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000, {
        attributes: { country: 'IR' },
      })
      .deal('O-2', '2026-01-02T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000, {
        attributes: { country: 'DE' },
      });
    const m = model(log, '2026-12-31T00:00:00Z', load('region-restriction'));
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1', 'O-2': 'P-1' })), 'P-1');
    expect(p.lines.map((l) => [l.opportunityId, l.schedule, l.commission, l.reason ?? null])).toEqual([
      ['O-1', 'one-time', 0, 'restricted-region'],
      ['O-1', 'recurring', 0, 'restricted-region'],
      ['O-2', 'one-time', 200_000, null],
      ['O-2', 'recurring', 50_000, null],
    ]);
  });

  it('10 % recurring for the contract: a 36-month $30,000.00 deal pays $3,000.00 a year', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'bronze' })
      .deal('O-1', '2026-01-02T00:00:00Z', '2026-01-15T00:00:00Z', 3_000_000, { contractMonths: 36 });
    const m = model(log, '2028-02-01T00:00:00Z', load('recurring-10-percent'));
    const p = partner(computeCommission(m, soleSourced(m, { 'O-1': 'P-1' })), 'P-1');
    expect(
      p.lines.map((l) => [l.schedule, l.period ?? null, l.accruesAt.slice(0, 10), l.commission]),
    ).toEqual([
      ['one-time', null, '2026-01-15', 0],
      ['recurring', 1, '2026-01-15', 300_000],
      ['recurring', 2, '2027-01-15', 300_000],
      ['recurring', 3, '2028-01-15', 300_000],
    ]);
    expect(p.earned).toBe(900_000);
  });

  it('a two-tier recruiter bonus: 10 % of the recruit’s commission in its first year', () => {
    const log = new Log()
      .partner('P-R', '2025-06-01T00:00:00Z', { tier: 'gold' })
      .partner('P-N', '2026-01-10T00:00:00Z', { tier: 'silver', referredBy: 'P-R' })
      .deal('O-1', '2026-01-12T00:00:00Z', '2026-03-01T00:00:00Z', 4_000_000);
    const m = model(log, '2026-12-31T00:00:00Z', load('two-tier-recruiter'));
    const res = computeCommission(m, soleSourced(m, { 'O-1': 'P-N' }));
    // $40,000.00 × 15 % = $6,000.00 for P-N; × 10 % = $600.00 for P-R
    expect(partner(res, 'P-N').earned).toBe(600_000);
    expect(partner(res, 'P-R').lines).toEqual([
      expect.objectContaining({ kind: 'referral', credited: 600_000, rateBps: 1000, commission: 60_000 }),
    ]);
  });

  it('a monthly cap of $5,000.00: the second deal of the month is clamped', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'gold' })
      .deal('O-1', '2026-01-02T00:00:00Z', '2026-03-03T00:00:00Z', 2_000_000)
      .deal('O-2', '2026-01-02T00:00:00Z', '2026-03-17T00:00:00Z', 2_000_000);
    const m = model(log, '2026-12-31T00:00:00Z', load('monthly-cap'));
    const att = new Map([
      ['O-1', credit(m, 'O-1', [{ partyId: 'P-1', kind: 'sourced', share: 1 }])],
      ['O-2', credit(m, 'O-2', [{ partyId: 'P-1', kind: 'sourced', share: 1 }])],
    ]);
    const p = partner(computeCommission(m, att), 'P-1');
    // 20 % of $20,000.00 = $4,000.00 each; $1,000.00 of the cap is left for the second
    expect(p.lines.map((l) => [l.commission, l.outsideTerms])).toEqual([
      [400_000, 0],
      [100_000, 300_000],
    ]);
  });
});
