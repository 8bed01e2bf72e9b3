import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso, monthKey } from './time.ts';

describe('iso', () => {
  it('writes what toISOString writes, for any instant it can write', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(iso(ms)).toBe(new Date(ms).toISOString());
        expect(monthKey(ms)).toBe(new Date(ms).toISOString().slice(0, 7));
      }),
      { numRuns: 3000 },
    );
    expect(iso(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z');
    expect(iso(1.5)).toBe('1970-01-01T00:00:00.001Z');
  });

  it('throws on an instant toISOString cannot write', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
  });
});
