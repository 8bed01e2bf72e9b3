import { isoUtc } from './iso.ts';
import type { RuleSet } from '@referral-ledger/core';
import type { LedgerModel } from '../model.ts';
import { convertedDeal, type ReferralViewStatus, referralViewStatus } from '../referrals/status.ts';
import { type ReferralState, referralState } from '../state.ts';
import { DAY } from '../time.ts';
import { deadlineAfter, elapsedMs, slaBudgets, wholeMinutes } from './clock.ts';

/** One referral's SLA as of T (SPEC §6.8, §9 `sla`). */
export interface ReferralSla {
  readonly referralId: string;
  readonly partnerId: string;
  readonly status: ReferralViewStatus;
  readonly submittedAt: string;
  /** Submission → first contact on the SLA clock; null until contacted or when the clock does not apply. */
  readonly firstContactMinutes: number | null;
  /** true past the budget; false when met or still within it; null when closed before any contact. */
  readonly firstContactBreached: boolean | null;
  /** When first contact is due (ISO); null when the business hours never add up to the budget. */
  readonly firstContactDeadline: string | null;
  readonly feedbackMinutes: number | null;
  readonly feedbackBreached: boolean;
  readonly feedbackDeadline: string | null;
  readonly stale: boolean;
}

export interface SlaSummary {
  readonly total: number;
  readonly firstContactMet: number;
  readonly firstContactBreached: number;
  /** met ÷ (met + breached); null when neither. */
  readonly firstContactRate: number | null;
  readonly feedbackMet: number;
  readonly feedbackBreached: number;
  readonly feedbackRate: number | null;
  readonly stale: number;
}

export interface SlaView {
  readonly referrals: readonly ReferralSla[];
  readonly summary: SlaSummary;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoUtc(ms);
}

/**
 * The SLA of one referral as of `asOf` under `rules` (SPEC §6.8).
 * - First contact: breached when it took longer than `firstContactHours`, or when there is
 *   none and the deadline has passed; a referral rejected or withdrawn before any contact is
 *   neither met nor breached (`null`).
 * - Feedback: the same against `feedbackHours`, up to the first `PartnerFeedbackSent`.
 * - Stale: still open (not rejected, withdrawn, or converted to a won or lost deal) and its
 *   last event older than `staleAfterDays` (calendar time).
 * Clocks count business time when `sla.businessHours` is set.
 */
export function referralSla(
  model: LedgerModel,
  r: ReferralState,
  rules: RuleSet,
  asOf: number = model.asOf,
): ReferralSla {
  const hours = rules.sla.businessHours;
  const budget = slaBudgets(rules);
  const start = r.submittedAt;
  const deal = convertedDeal(model, r);
  const status = referralViewStatus(r, deal);

  const closedAt = Math.min(
    r.rejected?.at ?? Number.POSITIVE_INFINITY,
    r.withdrawn?.at ?? Number.POSITIVE_INFINITY,
  );
  const contact = r.contacted;
  let firstContactMinutes: number | null = null;
  let firstContactBreached: boolean | null;
  if (contact && contact.at <= closedAt) {
    const ms = elapsedMs(start, contact.at, hours);
    firstContactMinutes = wholeMinutes(ms);
    firstContactBreached = ms > budget.firstContact;
  } else if (closedAt <= asOf) {
    firstContactBreached = null;
  } else {
    firstContactBreached = elapsedMs(start, asOf, hours, budget.firstContact) > budget.firstContact;
  }

  const feedback = r.feedback[0];
  let feedbackMinutes: number | null = null;
  let feedbackBreached: boolean;
  if (feedback) {
    const ms = elapsedMs(start, feedback.at, hours);
    feedbackMinutes = wholeMinutes(ms);
    feedbackBreached = ms > budget.feedback;
  } else {
    feedbackBreached = elapsedMs(start, asOf, hours, budget.feedback) > budget.feedback;
  }

  const open = status !== 'rejected' && status !== 'withdrawn' && status !== 'won' && status !== 'lost';
  const stale = open && asOf - r.last.at > rules.sla.staleAfterDays * DAY;

  return {
    referralId: r.referralId,
    partnerId: r.partnerId,
    status,
    submittedAt: isoUtc(start),
    firstContactMinutes,
    firstContactBreached,
    firstContactDeadline: isoOrNull(deadlineAfter(start, budget.firstContact, hours)),
    feedbackMinutes,
    feedbackBreached,
    feedbackDeadline: isoOrNull(deadlineAfter(start, budget.feedback, hours)),
    stale,
  };
}

function rate(met: number, breached: number): number | null {
  return met + breached === 0 ? null : met / (met + breached);
}

/** Summarise referral SLAs: counts, met ÷ (met + breached) rates, stale count (SPEC §6.8). */
export function summariseSla(rows: readonly ReferralSla[]): SlaSummary {
  let fcMet = 0;
  let fcBreached = 0;
  let fbMet = 0;
  let fbBreached = 0;
  let stale = 0;
  for (const s of rows) {
    if (s.firstContactBreached === true) fcBreached++;
    else if (s.firstContactMinutes !== null) fcMet++;
    if (s.feedbackBreached) fbBreached++;
    else if (s.feedbackMinutes !== null) fbMet++;
    if (s.stale) stale++;
  }
  return {
    total: rows.length,
    firstContactMet: fcMet,
    firstContactBreached: fcBreached,
    firstContactRate: rate(fcMet, fcBreached),
    feedbackMet: fbMet,
    feedbackBreached: fbBreached,
    feedbackRate: rate(fbMet, fbBreached),
    stale,
  };
}

/**
 * The SLA view as of the model's T: every referral (optionally one partner's), in
 * submission order, and the summary. The SLA rules are those in force at T (SPEC §4).
 *
 * @example
 * const { summary } = computeSla(buildModel(events, { asOf: '2026-06-05T08:00:00Z' }));
 * summary.firstContactRate // 1
 */
export function computeSla(model: LedgerModel, options: { partnerId?: string | undefined } = {}): SlaView {
  const rules = model.rulesAt(model.asOf);
  const rows: ReferralSla[] = [];
  for (const r of sortedReferrals(model)) {
    if (options.partnerId !== undefined && r.partnerId !== options.partnerId) continue;
    rows.push(referralSla(model, r, rules));
  }
  return { referrals: rows, summary: summariseSla(rows) };
}

const folded = new WeakMap<LedgerModel, { count: number; last: number; list: readonly ReferralState[] }>();

/**
 * Every submitted referral, folded, by submission time then position. Several views read
 * the same folds, so they are kept per model until it changes (another event applied).
 */
export function sortedReferrals(model: LedgerModel): readonly ReferralState[] {
  const hit = folded.get(model);
  if (hit && hit.count === model.eventCount && hit.last === model.lastPosition) return hit.list;
  const out: ReferralState[] = [];
  for (const rec of model.referrals.values()) {
    const r = model.derived(referralState, rec);
    if (r) out.push(r);
  }
  out.sort(
    (a, b) => a.submittedAt - b.submittedAt || a.submitted.event.position - b.submitted.event.position,
  );
  folded.set(model, { count: model.eventCount, last: model.lastPosition, list: out });
  return out;
}
