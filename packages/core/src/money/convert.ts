import { minorDigits } from './currencies.ts';
import { divRoundBig, type MinorUnits } from './money.ts';

/** An exact rational number, for exchange rates and their reciprocals. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Parse a decimal string such as "0.9" or "149.25" into an exact rational. */
export function parseDecimal(text: string): Rational {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a positive decimal number`);
  const frac = m[2] ?? '';
  const num = BigInt(m[1]! + frac);
  const den = 10n ** BigInt(frac.length);
  if (num === 0n) throw new RangeError(`rate "${text}" is zero`);
  return { num, den };
}

export function reciprocal(r: Rational): Rational {
  return { num: r.den, den: r.num };
}

/**
 * Convert minor units of `from` into minor units of `to` at `rate` (1 `from` = rate `to`),
 * exactly: amount × rate × 10^(digits(to) − digits(from)), rounded half up (away from
 * zero) once, at the end (SPEC §6.4). Never a floating-point product.
 *
 * @example convertMinor(2400000, 'USD', 'EUR', parseDecimal('0.9')) // 2160000
 */
export function convertMinor(amount: number, from: string, to: string, rate: Rational): MinorUnits {
  if (from === to) return amount as MinorUnits;
  const shift = minorDigits(to) - minorDigits(from);
  let num = BigInt(amount) * rate.num;
  let den = rate.den;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  return Number(divRoundBig(num, den)) as MinorUnits;
}
