import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from './model.ts';

describe('parseInstant', () => {
  it('gives Date.parse’s answer for stored timestamps, with and without milliseconds', () => {
    expect(parseInstant('2026-03-01T09:30:00Z')).toBe(Date.UTC(2026, 2, 1, 9, 30, 0));
    expect(parseInstant('2024-02-28T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 28, 23, 59, 59, 999));
    expect(parseInstant('1969-12-31T00:00:00.000Z')).toBe(-86_400_000);
    expect(parseInstant('2000-03-01T00:00:00Z')).toBe(951_868_800_000);
  });

  it('falls back to Date.parse for other forms, days past the end of the month and invalid text', () => {
    for (const s of [
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-04-31T00:00:00.000Z',
      '2024-12-31T23:59:59Z',
      '2024-02-30T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00+02:00',
      '2024-01-01T00:00:00.5Z',
      '2024-13-01T00:00:00Z',
      '2024-01-01T23:59:60Z',
      'not a time',
      '',
    ])
      expect(Object.is(parseInstant(s), Date.parse(s))).toBe(true);
  });

  it('agrees with Date.parse on every instant of years 1600–2400', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1600, 0, 1), max: Date.UTC(2400, 0, 1) }),
        fc.boolean(),
        (ms, withMs) => {
          const text = new Date(ms).toISOString();
          const s = withMs ? text : `${text.slice(0, 19)}Z`;
          expect(parseInstant(s)).toBe(Date.parse(s));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
