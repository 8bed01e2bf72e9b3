import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoUtc } from './iso.ts';

describe('isoUtc', () => {
  it('formats like Date#toISOString', () => {
    expect(isoUtc(Date.parse('2026-03-30T09:00:00Z'))).toBe('2026-03-30T09:00:00.000Z');
    expect(isoUtc(Date.parse('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29T23:59:59.999Z');
    expect(isoUtc(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('agrees with Date#toISOString for any instant in years 0000–9999 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
