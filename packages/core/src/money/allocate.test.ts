import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';

/** 1..8 parties with unique keys and positive integer weights, as shares summing to 1. */
const parties = fc
  .uniqueArray(
    fc.record({ key: fc.stringMatching(/^[A-Z]-[0-9]{1,3}$/), weight: fc.integer({ min: 1, max: 1000 }) }),
    {
      minLength: 1,
      maxLength: 8,
      selector: (p) => p.key,
    },
  )
  .map((ps) => {
    const total = ps.reduce((s, p) => s + p.weight, 0);
    return ps.map((p) => ({ key: p.key, share: p.weight / total }));
  });
const amounts = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

describe('allocate (largest remainder)', () => {
  it('splits 100 in thirds as 34 / 33 / 33, the extra unit to the first key on a tie', () => {
    const out = allocate(100, [
      { key: 'c', share: 1 / 3 },
      { key: 'a', share: 1 / 3 },
      { key: 'b', share: 1 / 3 },
    ]);
    expect(Object.fromEntries(out)).toEqual({ a: 34, b: 33, c: 33 });
  });

  it('gives the leftover unit to the largest remainder: 1001 at 0.7 / 0.3 is 701 / 300', () => {
    // 700.7 and 300.3: floors 700 + 300 = 1000, one unit left, remainder .7 beats .3.
    expect(
      Object.fromEntries(
        allocate(1001, [
          { key: 'x', share: 0.7 },
          { key: 'y', share: 0.3 },
        ]),
      ),
    ).toEqual({
      x: 701,
      y: 300,
    });
  });

  it('conserves every minor unit for any amount and shares', () => {
    fc.assert(
      fc.property(amounts, parties, (amount, shares) => {
        const out = allocate(amount, shares);
        expect([...out.values()].reduce((s, v) => s + v, 0)).toBe(amount);
        for (const s of shares) {
          const part = out.get(s.key)!;
          expect(Number.isSafeInteger(part)).toBe(true);
          // Each part is the floor or the ceiling of its exact share (up to float noise).
          expect(Math.abs(part - s.share * amount)).toBeLessThanOrEqual(1 + 1e-6 * Math.abs(amount));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and independent of the order the shares are listed in', () => {
    fc.assert(
      fc.property(amounts, parties, (amount, shares) => {
        const a = allocate(amount, shares);
        const b = allocate(amount, shares);
        const reversed = allocate(amount, [...shares].reverse());
        expect(Object.fromEntries(b)).toEqual(Object.fromEntries(a));
        expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(a));
      }),
      { numRuns: 300 },
    );
  });
});
