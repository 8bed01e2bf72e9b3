import { z } from 'zod';
import type { Brand } from '../util/brand.ts';

/** An integer amount in a currency's minor units (cents for USD, yen for JPY). */
export type MinorUnits = Brand<number, 'MinorUnits'>;
/** A rate in basis points: 1500 = 15 %. */
export type Bps = Brand<number, 'Bps'>;
/** A fraction of a deal in [0, 1]; a deal's shares sum to 1. */
export type Share = Brand<number, 'Share'>;

export const MinorUnitsSchema = z
  .number()
  .int('must be an integer number of minor units')
  .refine(Number.isSafeInteger, 'is too large to be exact')
  .transform((n) => n as MinorUnits);
export const BpsSchema = z
  .number()
  .int('must be an integer number of basis points')
  .min(0)
  .transform((n) => n as Bps);
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** Money as `{amount, currency}`: `amount` is an integer in the currency's minor units. */
export const MoneySchema = z.strictObject({ amount: MinorUnitsSchema, currency: CurrencyCode });
export type Money = { readonly amount: MinorUnits; readonly currency: CurrencyCode };

/** Wrap a plain integer as minor units; throws on a fraction (no floating-point money). */
export function minor(n: number): MinorUnits {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an integer number of minor units`);
  return n as MinorUnits;
}
export function bps(n: number): Bps {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${n} is not a rate in basis points`);
  return n as Bps;
}
export function share(n: number): Share {
  return n as Share;
}
export function money(amount: number, currency: string): Money {
  return { amount: minor(amount), currency };
}
export const ZERO = 0 as MinorUnits;

/** Sum of minor-unit amounts (all of one currency: never add two currencies). */
export function sum(values: Iterable<number>): MinorUnits {
  let t = 0;
  for (const v of values) t += v;
  return t as MinorUnits;
}

/**
 * a × b / c rounded half up (away from zero), exactly, for integers. Used for every
 * "round-half-up(x × y / z)" of the spec: a rate in basis points, a clawback fraction.
 * @example mulDivRound(12000000, 1500, 10000) // 1800000
 */
export function mulDivRound(a: number, b: number, c: number): MinorUnits {
  if (c === 0) throw new RangeError('division by zero');
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    const neg = p < 0 !== c < 0;
    const n = Math.abs(p);
    const d = Math.abs(c);
    const q = Math.floor(n / d);
    const r = n - q * d;
    const out = 2 * r >= d ? q + 1 : q;
    return (neg && out !== 0 ? -out : out) as MinorUnits;
  }
  return Number(divRoundBig(BigInt(a) * BigInt(b), BigInt(c))) as MinorUnits;
}

/** n / d rounded half up (away from zero) on big integers. */
export function divRoundBig(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if (2n * (an % ad) >= ad) q += 1n;
  return neg ? -q : q;
}

/** round-half-up(amount × rate / 10 000). @example applyBps(12000000, 1500) // 1800000 */
export function applyBps(amount: number, rate: number): MinorUnits {
  return mulDivRound(amount, rate, 10_000);
}
