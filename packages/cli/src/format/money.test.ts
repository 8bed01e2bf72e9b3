import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from './money.ts';

describe('formatMoney', () => {
  it('groups thousands and keeps the currency’s minor digits', () => {
    expect(formatMoney(1_800_000, 'USD')).toBe('18,000.00 USD');
    expect(formatMoney(-123_456_789, 'EUR')).toBe('-1,234,567.89 EUR');
    expect(formatMoney(5, 'USD')).toBe('0.05 USD');
    expect(formatMoney(1_000, 'JPY')).toBe('1,000 JPY');
    expect(formatMoney(999, 'JPY')).toBe('999 JPY');
    expect(formatMoney(null, 'USD')).toBe('');
  });

  it('writes the whole part as toLocaleString("en-US") does, for any safe integer amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        const whole = Math.floor(Math.abs(amount) / 100);
        const text = formatMoney(amount, 'USD');
        expect(text.startsWith(`${amount < 0 ? '-' : ''}${whole.toLocaleString('en-US')}.`)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
