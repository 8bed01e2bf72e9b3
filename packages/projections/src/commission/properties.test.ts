import { convertMinor, parseDecimal, reciprocal } from '@referral-ledger/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model.ts';
import { computeCommission } from './engine.ts';
import { Log, model, rules, soleSourced } from './fixture.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

describe('commission properties', () => {
  it('limits never let a partner earn more than the limit in one interval', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ day: fc.integer({ min: 0, max: 200 }), value: fc.integer({ min: 1, max: 5_000_000 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 0, max: 600_000 }),
        fc.constantFrom('month', 'quarter'),
        (deals, limit, interval) => {
          const log = new Log().partner('P-1', '2025-12-01T00:00:00Z', { tier: 'gold' });
          const who: Record<string, string> = {};
          deals.forEach((d, i) => {
            const at = new Date(START + d.day * DAY).toISOString();
            log.deal(`O-${i}`, '2025-12-15T00:00:00Z', at, d.value);
            who[`O-${i}`] = 'P-1';
          });
          const r = rules({ commission: { limits: [{ scope: 'partner', interval, amount: limit }] } });
          const m = model(log, '2026-12-31T00:00:00Z', r);
          const p = computeCommission(m, soleSourced(m, who)).partners[0]!;
          const per = new Map<string, number>();
          for (const l of p.lines) {
            const d = new Date(l.accruesAtMs);
            const key =
              interval === 'month'
                ? `${d.getUTCFullYear()}-${d.getUTCMonth()}`
                : `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3)}`;
            per.set(key, (per.get(key) ?? 0) + l.commission);
            expect(l.commission + l.outsideTerms).toBe(Math.round((l.credited * 2000) / 10_000));
          }
          for (const v of per.values()) expect(v).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });

  it('converting with a rate and back with its reciprocal differs by at most one minor unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 9_999 }),
        fc.integer({ min: 0, max: 9_999 }),
        (amount, whole, frac) => {
          const rate = parseDecimal(`${whole}.${String(frac).padStart(4, '0')}`);
          const there = convertMinor(amount, 'USD', 'EUR', rate);
          const back = convertMinor(there, 'EUR', 'USD', reciprocal(rate));
          expect(Math.abs(back - amount)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('replay under the same rules is deterministic whatever the batching and apply order', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver', payoutCurrency: 'EUR' })
      .partner('P-2', '2026-01-01T00:00:00Z', { referredBy: 'P-1' })
      .fx('USD', 'EUR', '0.9', '2026-01-01T00:00:00Z')
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 2_400_000, { contractMonths: 24 })
      .deal('O-2', '2026-01-05T00:00:00Z', '2026-02-10T00:00:00Z', 1_000_000)
      .reverse('O-1', '2026-03-01T00:00:00Z', 600_000)
      .fx('USD', 'EUR', '0.95', '2026-02-05T00:00:00Z');
    const r = rules({
      commission: {
        recurring: { rates: { bronze: 500, silver: 750, gold: 1000 } },
        limits: [{ scope: 'partner', interval: 'month', amount: 400_000 }],
        partnerReferral: { rateBps: 1000, months: 12 },
      },
    });
    const who = { 'O-1': 'P-1', 'O-2': 'P-2' };
    const once = (events: typeof log.events) => {
      const m = buildModel(events, { asOf: '2027-03-01T00:00:00Z', rules: r });
      return JSON.stringify(computeCommission(m, soleSourced(m, who)));
    };
    const expected = once(log.events);
    fc.assert(
      fc.property(fc.shuffledSubarray(log.events, { minLength: log.events.length }), (shuffled) => {
        expect(once(shuffled)).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
});
