import { TZDate } from '@date-fns/tz';
import type { BusinessHours, RuleSet } from '@referral-ledger/core';
import { HOUR, MINUTE } from '../time.ts';

/** How far a day-by-day walk may go before giving up (ten years of calendar days). */
const MAX_DAYS = 3660;

function hhmm(text: string): [number, number] {
  const [h, m] = text.split(':');
  return [Number(h), Number(m)];
}

/**
 * The business windows `[open, close)` (epoch ms) of the local calendar days from the one
 * holding `from` on, in the zone of `hours`. Each window is computed from the local wall
 * time of that day, so a daylight-saving change moves it with the clocks.
 */
function* windows(hours: BusinessHours, from: number): Generator<[number, number]> {
  const tz = hours.timeZone;
  const local = new TZDate(from, tz);
  const y = local.getFullYear();
  const mo = local.getMonth();
  const d = local.getDate();
  const [sh, sm] = hhmm(hours.start);
  const [eh, em] = hhmm(hours.end);
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = new TZDate(y, mo, d + i, tz);
    const weekday = day.getDay() === 0 ? 7 : day.getDay();
    if (!hours.days.includes(weekday)) continue;
    const open = new TZDate(y, mo, d + i, sh, sm, tz).getTime();
    const close = new TZDate(y, mo, d + i, eh, em, tz).getTime();
    if (close > open) yield [open, close];
  }
}

/**
 * Business time in ms between two instants: only the parts of `[from, to)` inside the
 * business windows of `hours` count. With `hours` null, plain calendar time. With `cap`, the
 * walk stops as soon as the total exceeds it (the result is then only known to be > cap).
 *
 * @example
 * // Friday 16:00 → Monday 10:00 in Berlin, 09:00–17:00 Mon–Fri: 1 h + 1 h = 2 h
 * elapsedMs(Date.parse('2026-03-27T15:00:00Z'), Date.parse('2026-03-30T08:00:00Z'),
 *   { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }) // 7_200_000
 */
export function elapsedMs(
  from: number,
  to: number,
  hours: BusinessHours | null,
  cap: number = Number.POSITIVE_INFINITY,
): number {
  if (to <= from) return 0;
  if (!hours) return to - from;
  let total = 0;
  for (const [open, close] of windows(hours, from)) {
    if (open >= to) break;
    const a = Math.max(open, from);
    const b = Math.min(close, to);
    if (b > a) total += b - a;
    // Callers asking "is it over budget?" need not walk months of open referrals day by day.
    if (total > cap) break;
  }
  return total;
}

/**
 * The instant when `budgetMs` of business time has passed since `from` (a deadline); with
 * `hours` null, `from + budgetMs`. `null` when the windows never add up to the budget
 * (business hours that never open).
 */
export function deadlineAfter(from: number, budgetMs: number, hours: BusinessHours | null): number | null {
  if (!hours) return from + budgetMs;
  if (budgetMs <= 0) return from;
  let left = budgetMs;
  for (const [open, close] of windows(hours, from)) {
    if (close <= from) continue;
    const a = Math.max(open, from);
    const span = close - a;
    if (span >= left) return a + left;
    left -= span;
  }
  return null;
}

/** Whole minutes, rounded down (SPEC §9 durations). */
export function wholeMinutes(ms: number): number {
  return Math.floor(ms / MINUTE);
}

/**
 * Time to first contact on the SLA clock of SPEC §6.8, in whole minutes (rounded down):
 * calendar time, or business time when the rule set has `sla.businessHours`. The KPI
 * `medianFirstContactMinutes` (§6.7) uses the same clock.
 *
 * @example
 * firstContactMinutes(Date.parse('2026-06-01T08:00:00Z'), Date.parse('2026-06-01T11:00:00Z'), DEFAULT_RULES) // 180
 */
export function firstContactMinutes(submittedAt: number, contactedAt: number, rules: RuleSet): number {
  return wholeMinutes(elapsedMs(submittedAt, contactedAt, rules.sla.businessHours));
}

/** The SLA budgets of a rule set in ms. */
export function slaBudgets(rules: RuleSet): { firstContact: number; feedback: number } {
  return { firstContact: rules.sla.firstContactHours * HOUR, feedback: rules.sla.feedbackHours * HOUR };
}
