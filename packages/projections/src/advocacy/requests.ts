import { isoUtc } from '../sla/iso.ts';
import type { RuleSet } from '@referral-ledger/core';
import type { Fact, LedgerModel } from '../model.ts';
import { type PartnerState, partnerState } from '../state.ts';
import { DAY, HOUR } from '../time.ts';

/** Why a customer may not be asked for a referral (SPEC §6.6), in the order they are checked. */
export type BlockedReason = 'offboarded' | 'tenure' | 'quiet' | 'quota';
export type RequestStep = 'ask' | 'follow-up' | 'alternative-ask';

export interface RequestDue {
  readonly step: RequestStep;
  /** When it became due (ISO). */
  readonly since: string;
  /** More than `askWithinHours` have passed since `since`. */
  readonly overdue: boolean;
}

/** One customer's line of `report requests` (SPEC §9 `requests`). */
export interface CustomerRequests {
  readonly partnerId: string;
  readonly name: string;
  readonly blocked: BlockedReason | null;
  readonly due: RequestDue | null;
  readonly requestsLast90Days: number;
  /** The latest promoter signal (ISO), the last ask (ISO): context for people. */
  readonly lastPromoterSignal: string | null;
  readonly lastAsk: string | null;
}

type AdvocateFact = Fact<'AdvocacySignalRecorded' | 'ReferralRequestSent'>;
type SignalFact = Fact<'AdvocacySignalRecorded'>;
type RequestFact = Fact<'ReferralRequestSent'>;

const QUARTER_DAYS = 90;

/** A promoter signal (SPEC §6.6): NPS ≥ `promoterMinScore`, a milestone, a QBR or an ROI review. */
export function isPromoter(f: SignalFact, rules: RuleSet): boolean {
  const d = f.event.data;
  if (d.signal === 'nps') return d.score !== undefined && d.score >= rules.requests.promoterMinScore;
  return d.signal === 'milestone' || d.signal === 'qbr' || d.signal === 'roi';
}

/** A detractor signal: a support issue, or an NPS of 6 or less. */
export function isDetractor(f: SignalFact): boolean {
  const d = f.event.data;
  return d.signal === 'support-issue' || (d.signal === 'nps' && d.score !== undefined && d.score <= 6);
}

/** "The last N days" at T is (T − N days, T] (SPEC §11). */
function inLastDays(at: number, t: number, days: number): boolean {
  return at > t - days * DAY && at <= t;
}

function factsUpTo(model: LedgerModel, partnerId: string, t: number): AdvocateFact[] {
  return (model.advocates.get(partnerId) ?? []).filter((f) => f.at <= t);
}

function blockedReason(
  p: PartnerState,
  facts: readonly AdvocateFact[],
  rules: RuleSet,
  t: number,
): BlockedReason | null {
  const q = rules.requests;
  if (p.offboardedAt !== null && p.offboardedAt <= t) return 'offboarded';
  const tenureFrom = p.customerSince !== null ? Date.parse(p.customerSince) : p.enrolledAt;
  if (t - tenureFrom < q.minTenureDays * DAY) return 'tenure';
  if (
    facts.some(
      (f) =>
        f.event.type === 'AdvocacySignalRecorded' &&
        isDetractor(f as SignalFact) &&
        inLastDays(f.at, t, q.quietDays),
    )
  )
    return 'quiet';
  const recent = facts.filter(
    (f) => f.event.type === 'ReferralRequestSent' && inLastDays(f.at, t, QUARTER_DAYS),
  );
  if (recent.length >= q.maxPerQuarter) return 'quota';
  return null;
}

/**
 * Why the customer `partnerId` may not be sent a referral request at `at`, or `null` when it
 * may (SPEC §6.6: offboarded, tenure, quiet after a detractor signal, quarterly quota — the
 * first that applies). Uses the model's facts up to `at` and the rules in force at `at`.
 * The `SendReferralRequest` command refuses a blocked customer with this reason. A partner
 * that is not an enrolled customer is reported as `null` here; the command checks that.
 * `at` is epoch ms or an ISO timestamp, so it plugs into the facade's `advocateBlocked` policy:
 * `advocateBlocked: async (id, at) => advocateBlocked(await currentModel(), id, at)`.
 *
 * @example
 * advocateBlocked(model, 'K-3', Date.parse('2026-03-10T21:00:00Z')) // 'quiet'
 */
export function advocateBlocked(
  model: LedgerModel,
  partnerId: string,
  at: number | string,
): BlockedReason | null {
  if (typeof at === 'string') at = Date.parse(at);
  const rec = model.partners.get(partnerId);
  const p = rec ? partnerState(rec) : null;
  if (!p) return null;
  return blockedReason(p, factsUpTo(model, partnerId, at), model.rulesAt(at), at);
}

/**
 * What is due for one customer at `t` (SPEC §6.6), or null. `referralTimes` are the
 * submission times of the referrals this customer made (a referral since the ask stops the
 * follow-ups).
 */
export function dueRequest(
  facts: readonly AdvocateFact[],
  referralTimes: readonly number[],
  rules: RuleSet,
  t: number,
): RequestDue | null {
  const q = rules.requests;
  // facts are in time order (then position), so "after" is "later in this list".
  let lastAskIndex = -1;
  let lastPromoterIndex = -1;
  facts.forEach((f, i) => {
    if (f.event.type === 'ReferralRequestSent' && (f as RequestFact).event.data.step === 'ask')
      lastAskIndex = i;
    if (f.event.type === 'AdvocacySignalRecorded' && isPromoter(f as SignalFact, rules))
      lastPromoterIndex = i;
  });
  const make = (step: RequestStep, since: number): RequestDue => ({
    step,
    since: isoUtc(since),
    overdue: t - since > q.askWithinHours * HOUR,
  });
  const promoter = lastPromoterIndex >= 0 ? facts[lastPromoterIndex]! : null;
  if (promoter && lastPromoterIndex > lastAskIndex && t - promoter.at <= q.askWindowDays * DAY) {
    return make('ask', promoter.at);
  }
  if (lastAskIndex < 0) return null;
  const ask = facts[lastAskIndex]!;
  const after = facts
    .slice(lastAskIndex + 1)
    .filter((f) => f.event.type === 'ReferralRequestSent') as RequestFact[];
  const referredSince = referralTimes.some((at) => at >= ask.at);
  if (referredSince) return null;
  const followedUp = after.some((f) => f.event.data.step === 'follow-up');
  const alternative = after.some((f) => f.event.data.step === 'alternative-ask');
  const age = t - ask.at;
  if (age >= q.alternativeAskDays * DAY && followedUp && !alternative) {
    return make('alternative-ask', ask.at + q.alternativeAskDays * DAY);
  }
  if (age >= q.followUpDays * DAY && !followedUp) {
    return make('follow-up', ask.at + q.followUpDays * DAY);
  }
  return null;
}

/**
 * Referral requests for every customer enrolled as of T (SPEC §6.6, §9 `requests`): why it
 * is blocked, else what is due, since when, whether overdue; and how many requests went out
 * in the last 90 days. A blocked customer is never due. Rules: those in force at T.
 *
 * @example
 * computeRequests(model).find((c) => c.partnerId === 'K-2')?.due // { step: 'follow-up', ... }
 */
export function computeRequests(
  model: LedgerModel,
  options: { partnerId?: string | undefined } = {},
): CustomerRequests[] {
  const t = model.asOf;
  const rules = model.rulesAt(t);
  const referralTimes = new Map<string, number[]>();
  for (const rec of model.referrals.values()) {
    const s = rec.submitted;
    if (!s) continue;
    const list = referralTimes.get(s.event.data.partnerId) ?? [];
    list.push(s.at);
    referralTimes.set(s.event.data.partnerId, list);
  }
  const out: CustomerRequests[] = [];
  const ids = [...model.partners.keys()].sort();
  for (const id of ids) {
    if (options.partnerId !== undefined && id !== options.partnerId) continue;
    const p = partnerState(model.partners.get(id)!);
    if (p?.program !== 'customer') continue;
    const facts = factsUpTo(model, id, t);
    const blocked = blockedReason(p, facts, rules, t);
    const due = blocked ? null : dueRequest(facts, referralTimes.get(id) ?? [], rules, t);
    const requests = facts.filter((f) => f.event.type === 'ReferralRequestSent');
    const promoters = facts.filter(
      (f) => f.event.type === 'AdvocacySignalRecorded' && isPromoter(f as SignalFact, rules),
    );
    const asks = requests.filter((f) => (f as RequestFact).event.data.step === 'ask');
    out.push({
      partnerId: id,
      name: p.name,
      blocked,
      due,
      requestsLast90Days: requests.filter((f) => inLastDays(f.at, t, QUARTER_DAYS)).length,
      lastPromoterSignal: promoters.length ? isoUtc(promoters[promoters.length - 1]!.at) : null,
      lastAsk: asks.length ? isoUtc(asks[asks.length - 1]!.at) : null,
    });
  }
  return out;
}
