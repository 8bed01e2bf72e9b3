import { describe, expect, it } from 'vitest';
import { convertMinor, parseDecimal, reciprocal } from './convert.ts';
import { applyBps, mulDivRound } from './money.ts';

describe('convertMinor (SPEC §6.4)', () => {
  it('converts USD cents to EUR cents at 0.9', () => {
    expect(convertMinor(360000, 'USD', 'EUR', parseDecimal('0.9'))).toBe(324000);
  });

  it('shifts by the difference in minor digits: JPY (0) to EUR (2) and USD (2) to KWD (3)', () => {
    // ¥1,000,000 at 0.0062 EUR = €6,200.00 = 620000 cents
    expect(convertMinor(1_000_000, 'JPY', 'EUR', parseDecimal('0.0062'))).toBe(620000);
    // $10.00 at 0.3075 KWD = 3.075 KWD = 3075 fils
    expect(convertMinor(1000, 'USD', 'KWD', parseDecimal('0.3075'))).toBe(3075);
    // €1.00 at 161.25 JPY = ¥161.25 → ¥161
    expect(convertMinor(100, 'EUR', 'JPY', parseDecimal('161.25'))).toBe(161);
  });

  it('rounds half up exactly where a float product would round down', () => {
    // 1.15 × 0.5 = 0.575 exactly → 58; in floating point 115 * 0.5 * 1.15 / 100 … 0.57499999
    expect(1.15 * 0.5 * 100).toBeLessThan(57.5);
    expect(convertMinor(115, 'USD', 'EUR', parseDecimal('0.5'))).toBe(58);
    // 0.285 × 100 = 28.499999999999996 in floats, exactly 28.5 here
    expect(0.285 * 100).toBeLessThan(28.5);
    expect(convertMinor(100, 'USD', 'GBP', parseDecimal('0.285'))).toBe(29);
  });

  it('uses an exact rational for reciprocals', () => {
    const r = reciprocal(parseDecimal('3'));
    expect(convertMinor(100, 'EUR', 'USD', r)).toBe(33);
    expect(convertMinor(150, 'EUR', 'USD', r)).toBe(50);
    expect(convertMinor(-150, 'EUR', 'USD', parseDecimal('0.333'))).toBe(-50);
  });

  it('refuses rates that are not positive decimals', () => {
    expect(() => parseDecimal('abc')).toThrow(RangeError);
    expect(() => parseDecimal('0')).toThrow(/zero/);
    expect(() => parseDecimal('-1.2')).toThrow(RangeError);
  });
});

describe('mulDivRound and applyBps', () => {
  it('computes round-half-up(x × y / z) exactly', () => {
    expect(applyBps(12000000, 1500)).toBe(1800000);
    expect(applyBps(3, 5000)).toBe(2); // 1.5 → 2
    expect(applyBps(-3, 5000)).toBe(-2); // away from zero
    expect(mulDivRound(1800000, 1, 3)).toBe(600000);
    expect(mulDivRound(100, 1, 3)).toBe(33);
    expect(mulDivRound(200, 1, 3)).toBe(67);
  });

  it('stays exact beyond 2^53 intermediate products', () => {
    expect(mulDivRound(9_000_000_000_000, 9_999, 10_000)).toBe(8_999_100_000_000);
  });
});
