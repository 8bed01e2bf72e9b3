import type { MinorUnits } from './money.ts';

/** One recipient's share of an amount. */
export interface Allotment<K extends string = string> {
  readonly key: K;
  readonly share: number;
}

const EPS_DIGITS = 1e9;

/**
 * Largest-remainder allocation of an integer amount of minor units by shares (SPEC §5
 * "Money"): floor every share × amount, then give one unit each to the largest fractional
 * remainders, compared rounded to 1e-9, ties by key ascending. The result always sums to
 * `amount` exactly. This is the only allocation function in the ledger.
 *
 * Shares should sum to 1; if they do not, they are normalised first. A negative amount is
 * allocated as its absolute value, then negated.
 *
 * @example allocate(1000, [{key: 'P-1', share: 0.5}, {key: 'P-2', share: 0.5}]) // Map{P-1→500, P-2→500}
 */
export function allocate<K extends string>(
  amount: number,
  shares: readonly Allotment<K>[],
): Map<K, MinorUnits> {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`cannot allocate ${amount}: not an integer amount`);
  const out = new Map<K, MinorUnits>();
  if (shares.length === 0) {
    if (amount !== 0) throw new RangeError('cannot allocate a non-zero amount among nobody');
    return out;
  }
  const sign = amount < 0 ? -1 : 1;
  const total = Math.abs(amount);
  let shareSum = 0;
  for (const s of shares) {
    if (!(s.share >= 0) || !Number.isFinite(s.share))
      throw new RangeError(`share of ${s.key} is not a number in [0, 1]`);
    shareSum += s.share;
  }
  if (shareSum <= 0) throw new RangeError('shares sum to zero');
  const normalise = Math.abs(shareSum - 1) > 1e-9;
  const parts: { key: K; floor: number; rem: number }[] = [];
  let given = 0;
  for (const s of shares) {
    const raw = (normalise ? s.share / shareSum : s.share) * total;
    let floor = Math.floor(raw);
    let rem = Math.round((raw - floor) * EPS_DIGITS) / EPS_DIGITS;
    if (rem >= 1) {
      floor += 1;
      rem = 0;
    }
    parts.push({ key: s.key, floor, rem });
    given += floor;
  }
  let left = total - given;
  if (left < 0) {
    // Only possible through float noise on enormous amounts; take units back from the smallest remainders.
    parts.sort((a, b) => a.rem - b.rem || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    for (let i = 0; left < 0; i = (i + 1) % parts.length) {
      const p = parts[i]!;
      if (p.floor > 0) {
        p.floor -= 1;
        left += 1;
      }
    }
  } else if (left > 0) {
    const order = [...parts].sort((a, b) => b.rem - a.rem || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 0; left > 0; i = (i + 1) % order.length) {
      order[i]!.floor += 1;
      left -= 1;
    }
  }
  for (const p of parts) out.set(p.key, ((out.get(p.key) ?? 0) + sign * p.floor) as MinorUnits);
  return out;
}
