import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogBuilder, rules } from '../attribution/log.fixture.ts';
import { buildModel } from '../model.ts';
import { LIBRARY_VERSION } from '../version.ts';
import { diffModels, whatIf } from './diff.ts';
import { explainOpportunity, explanationText } from './explain.ts';

const AS_OF = '2026-12-31T00:00:00Z';

function twoPartnerLog() {
  return new LogBuilder()
    .referral('R-1', 'P-1', '2026-01-05T09:00:00Z', { email: 'jane@acme.example' })
    .referral('R-2', 'P-2', '2026-01-10T09:00:00Z', { email: 'bob@acme.example' })
    .open('O-1', '2026-01-20T15:00:00Z', 1001, { domain: 'acme.example' })
    .touch('O-1', 'P-2', '2026-01-25T00:00:00Z')
    .touch('O-1', 'P-2', '2026-01-26T00:00:00Z')
    .touch('O-1', 'house', '2026-01-27T00:00:00Z')
    .won('O-1', '2026-02-01T17:00:00Z', 1001);
}

describe('explain', () => {
  it('cites every registration with its window and verdict, and every touch with its weight', () => {
    const log = twoPartnerLog();
    const model = buildModel(log.events, {
      asOf: AS_OF,
      rules: rules({ attribution: { model: 'position-based' } }),
    });
    const e = explainOpportunity(model, 'O-1')!;
    expect(e.libraryVersion).toBe(LIBRARY_VERSION);
    expect(e.rules).toMatchObject({ version: 'test', origin: 'given', model: 'position-based' });
    expect(e.registrations.map((r) => [r.referralId, r.outcome, r.position, r.window.to])).toEqual([
      ['R-1', 'sourced', 1, '2026-03-06T09:00:00.000Z'],
      ['R-2', 'later', 2, '2026-03-11T09:00:00.000Z'],
    ]);
    expect(e.registrations[0]!.eventId).toBe(log.events[0]!.metadata.eventId);
    // Four touches: the registration, P-2 twice, the house: 0.4 / 0.1 / 0.1 / 0.4.
    expect(e.touches.map((t) => [t.partyId, t.origin, t.weight, t.position])).toEqual([
      ['P-1', 'registration', 0.4, 1],
      ['P-2', 'touchpoint', 0.1, 4],
      ['P-2', 'touchpoint', 0.1, 5],
      ['house', 'touchpoint', 0.4, 6],
    ]);
  });

  it('shows the largest-remainder allocation: floors first, then the spare unit', () => {
    const model = buildModel(twoPartnerLog().events, {
      asOf: AS_OF,
      rules: rules({ attribution: { model: 'position-based' } }),
    });
    const al = explainOpportunity(model, 'O-1')!.allocation;
    // 0.4 × 1001 = 400.4 (P-1), 0.2 × 1001 = 200.2 (P-2), 0.4 × 1001 = 400.4 (house): floors 1000, one unit left.
    expect(al.floorTotal).toBe(1000);
    expect(al.remainderUnits).toBe(1);
    expect(al.lines.map((l) => [l.partyId, l.floor, l.remainder, l.extra, l.amount])).toEqual([
      ['P-1', 400, 0.4, 1, 401],
      ['P-2', 200, 0.2, 0, 200],
      ['house', 400, 0.4, 0, 400],
    ]);
  });

  it('renders text citing event ids and positions, and returns null for an unknown deal', () => {
    const log = twoPartnerLog();
    const model = buildModel(log.events, { asOf: AS_OF });
    const text = explanationText(explainOpportunity(model, 'O-1')!);
    expect(text).toContain(`[event ${log.events[0]!.metadata.eventId} @1]`);
    expect(text).toContain('R-2 by P-2');
    expect(text).toContain('later: registered after the sourced registration');
    expect(explainOpportunity(model, 'O-404')).toBeNull();
  });

  it('reports the version of this package', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });
});

describe('explain with commission', () => {
  it('lists each commission line of the deal with its rate, tier and arithmetic', () => {
    const log = twoPartnerLog().partner('P-1', '2025-12-01T00:00:00Z', 'gold');
    const model = buildModel(log.events, {
      asOf: AS_OF,
      rules: rules({ attribution: { model: 'position-based' } }),
    });
    const e = explainOpportunity(model, 'O-1')!;
    // P-1 is enrolled (gold) and sourced 401 cents: 20 % = 80.2 → 80. P-2 is not enrolled: no line.
    expect(
      e.commission!.map((l) => [l.partnerId, l.kind, l.tier, l.credited, l.rateBps, l.commission]),
    ).toEqual([['P-1', 'sourced', 'gold', 401, 2000, 80]]);
    expect(e.commission![0]!.steps.join('\n')).toContain('401 × 2000 / 10000');
    expect(explanationText(e)).toContain('Commission');
    expect(explainOpportunity(model, 'O-1', { commission: null })!.commission).toBeNull();
  });
});

describe('what-if and diff', () => {
  it('gives per-deal credits under both rule sets and per-partner deltas (after − before)', () => {
    const { events } = twoPartnerLog();
    const before = whatIf(events, rules({ version: 'v1', attribution: { model: 'first-to-register' } }), {
      asOf: AS_OF,
    });
    const after = whatIf(events, rules({ version: 'v2', attribution: { model: 'linear' } }), { asOf: AS_OF });
    const d = diffModels(before, after);
    expect(d.before.ruleVersion).toBe('v1');
    expect(d.after.ruleVersion).toBe('v2');
    const o = d.opportunities[0]!;
    expect(o.changed).toBe(true);
    expect(o.before.map((c) => [c.partyId, c.amount])).toEqual([['P-1', 1001]]);
    // Linear over four touches: P-1 0.25 → 250.25, P-2 0.5 → 500.5, house 0.25 → 250.25; spare unit to P-2 (0.5).
    expect(o.after.map((c) => [c.partyId, c.amount])).toEqual([
      ['P-1', 250],
      ['P-2', 501],
      ['house', 250],
    ]);
    // Neither partner is enrolled, so neither earns commission under either rule set.
    expect(d.partners).toEqual([
      { partnerId: 'P-1', creditedDelta: 250 - 1001, commissionDelta: 0, commissionCurrency: 'USD' },
      { partnerId: 'P-2', creditedDelta: 501, commissionDelta: 0, commissionCurrency: 'USD' },
    ]);
    expect(diffModels(before, after, { commission: null }).partners[0]!.commissionDelta).toBeNull();
  });

  it('reports no change when both rule sets attribute alike, and never alters the log', () => {
    const { events } = twoPartnerLog();
    const copy = JSON.stringify(events);
    const r = rules({ attribution: { model: 'first-to-register' } });
    const d = diffModels(whatIf(events, r, { asOf: AS_OF }), whatIf(events, r, { asOf: AS_OF }));
    expect(d.opportunities.every((o) => !o.changed)).toBe(true);
    expect(d.partners.every((p) => p.creditedDelta === 0)).toBe(true);
    expect(JSON.stringify(events)).toBe(copy);
  });
});
