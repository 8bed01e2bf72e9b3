/** Time helpers shared by the views. All instants are epoch milliseconds (UTC). */
import { isoUtc } from './sla/iso.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Parse an ISO-8601 timestamp with offset to epoch ms; throws on a bad one. */
export function toMs(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`"${iso}" is not a valid timestamp`);
  return t;
}

/**
 * `new Date(ms).toISOString()`; whole milliseconds take the integer-arithmetic formatter
 * (`isoUtc`): the views format instants in per-deal loops, where `toISOString` showed up.
 */
export function iso(ms: number): string {
  return Number.isInteger(ms) ? isoUtc(ms) : new Date(ms).toISOString();
}

/**
 * Add calendar months in UTC, clamping the day (31 January + 1 month = the last day of
 * February), SPEC §11.
 */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(
    targetYear,
    targetMonth,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** `YYYY-MM` of an instant in UTC. */
export function monthKey(ms: number): string {
  return iso(ms).slice(0, 7);
}
