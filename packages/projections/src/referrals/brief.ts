import { isoUtc } from '../sla/iso.ts';
import { convertMinor, type RuleSet } from '@referral-ledger/core';
import type { Fact, LedgerModel } from '../model.ts';
import { type ReferralSla, referralSla } from '../sla/sla.ts';
import { sortedReferrals } from '../sla/sla.ts';
import { type OpportunityState, type ReferralState, referralState } from '../state.ts';
import { convertedDeal, type ReferralViewStatus, referralViewStatus } from './status.ts';

export type Fit = 'good' | 'review';
export type FitReason =
  | 'self-referral'
  | 'excluded-domain'
  | 'existing-customer'
  | 'incomplete'
  | 'duplicate'
  | 'no-estimated-value'
  | 'below-min-estimated-value'
  | 'missing-fx-rate';
export type FeedbackStatus = 'sent' | 'overdue' | 'none';
export type NextAction = 'none' | 'review-flags' | 'decide' | 'first-contact' | 'send-feedback' | 'convert';

/** The referral brief: the playbook's intake record (SPEC §6.5, §9 `referrals`). */
export interface ReferralBrief {
  readonly referralId: string;
  readonly partnerId: string;
  readonly company: string;
  /**
   * The intake form; personal fields are null once the subject was erased (SPEC §10).
   * Always set by `computeBriefs`; optional so that briefs written by hand (drafts, tests) may leave it out.
   */
  readonly lead?: BriefLead;
  readonly channel?: string;
  readonly submittedAt: string;
  readonly status: ReferralViewStatus;
  readonly fit: Fit;
  readonly fitReasons: readonly FitReason[];
  /**
   * What the referral duplicates. In a partner-scoped view (`partnerId` given) the id of
   * another partner's referral is `null`: the partner learns that the lead was already
   * registered, never by whom (SPEC §7).
   */
  readonly duplicateOf: { readonly kind: string; readonly id: string | null } | null;
  readonly flags: readonly string[];
  readonly salesOwnerId: string | null;
  readonly feedbackOwnerId: string | null;
  readonly feedbackStatus: FeedbackStatus;
  readonly nextAction: NextAction;
  readonly opportunityId: string | null;
  /** SLA deadlines (ISO) on the SLA clock; null when business hours never add up to the budget. */
  readonly firstContactDeadline: string | null;
  readonly feedbackDeadline: string | null;
}

/** The lead as the brief shows it. */
export interface BriefLead {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly title: string | null;
  readonly company: string;
  readonly website: string | null;
  readonly estimatedValue: { readonly amount: number; readonly currency: string } | null;
  readonly timeline: string | null;
  readonly useCase: string | null;
  readonly erased: boolean;
}

function briefLead(r: ReferralState): BriefLead {
  const l = r.submitted.event.data.lead;
  const erased = r.submitted.event.metadata.erased === true;
  const personal = (v: string | undefined | null) => (erased ? null : (v ?? null));
  return {
    firstName: personal(l.firstName),
    lastName: personal(l.lastName),
    email: personal(l.email),
    title: personal(l.title),
    company: l.company,
    website: l.website ?? null,
    estimatedValue: l.estimatedValue ?? null,
    timeline: l.timeline ?? null,
    useCase: personal(l.useCase),
    erased,
  };
}

/**
 * Fit (SPEC §6.5): `good` with no flag, no duplicate and an estimated value of at least
 * `fit.minEstimatedValue` (converted into the rule set's currency at submission);
 * otherwise `review` with the reasons as codes, flags first.
 */
export function fitOf(
  model: LedgerModel,
  r: ReferralState,
  rules: RuleSet,
): { fit: Fit; reasons: FitReason[] } {
  const reasons: FitReason[] = [];
  for (const f of r.flags) {
    const flag = f.event.data.flag as FitReason;
    if (!reasons.includes(flag)) reasons.push(flag);
  }
  if (r.duplicates.length > 0) reasons.push('duplicate');
  const estimate = r.submitted.event.data.lead.estimatedValue;
  const min = rules.fit.minEstimatedValue;
  if (!estimate) reasons.push('no-estimated-value');
  else if (min > 0) {
    const rate = model.fxRate(estimate.currency, rules.currency, r.submittedAt);
    if (!rate) reasons.push('missing-fx-rate');
    else if (convertMinor(estimate.amount, estimate.currency, rules.currency, rate.rate) < min)
      reasons.push('below-min-estimated-value');
  }
  return { fit: reasons.length === 0 ? 'good' : 'review', reasons };
}

/** Feedback status: `sent` once any feedback went out, else `overdue` past its deadline, else `none`. */
export function feedbackStatusOf(r: ReferralState, sla: ReferralSla): FeedbackStatus {
  if (r.feedback.length > 0) return 'sent';
  return sla.feedbackBreached ? 'overdue' : 'none';
}

/**
 * The next action on a referral (SPEC §6.5), the first that applies of: `none` (withdrawn),
 * `review-flags` (flagged or duplicate, undecided), `decide` (undecided), `first-contact`
 * (accepted, not contacted), `send-feedback` (no feedback at or after the last status change:
 * accepted, rejected, contacted, qualified, converted, or the converted deal won or lost),
 * `convert` (qualified, not converted), else `none`.
 *
 * @example
 * nextActionOf(acceptedNotContacted, null) // 'first-contact'
 */
export function nextActionOf(r: ReferralState, deal: OpportunityState | null): NextAction {
  if (r.withdrawn) return 'none';
  const decided = r.accepted !== null || r.rejected !== null;
  if (!decided) return r.flags.length > 0 || r.duplicates.length > 0 ? 'review-flags' : 'decide';
  if (!r.rejected && r.accepted && !r.contacted) return 'first-contact';
  const changes: Fact[] = [r.accepted, r.rejected, r.contacted, r.qualified, r.converted].filter(
    (f): f is NonNullable<typeof f> => f !== null,
  );
  if (deal?.close) changes.push(deal.close);
  const lastChange = Math.max(...changes.map((f) => f.at));
  if (!r.feedback.some((f) => f.at >= lastChange)) return 'send-feedback';
  if (!r.rejected && r.qualified && !r.converted) return 'convert';
  return 'none';
}

/** The brief of one referral as of the model's T under `rules`. */
export function referralBrief(model: LedgerModel, r: ReferralState, rules: RuleSet): ReferralBrief {
  const deal = convertedDeal(model, r);
  const sla = referralSla(model, r, rules);
  const { fit, reasons } = fitOf(model, r, rules);
  const dup = r.duplicates[0]?.event.data.duplicateOf;
  return {
    referralId: r.referralId,
    partnerId: r.partnerId,
    company: r.submitted.event.data.lead.company,
    lead: briefLead(r),
    channel: r.submitted.event.data.channel,
    submittedAt: isoUtc(r.submittedAt),
    status: referralViewStatus(r, deal),
    fit,
    fitReasons: reasons,
    duplicateOf: dup ? { kind: dup.kind, id: dup.id } : null,
    flags: [...new Set(r.flags.map((f) => f.event.data.flag))],
    salesOwnerId: r.salesOwnerId,
    feedbackOwnerId: r.feedbackOwnerId,
    feedbackStatus: feedbackStatusOf(r, sla),
    nextAction: nextActionOf(r, deal),
    opportunityId: r.converted?.event.data.opportunityId ?? null,
    firstContactDeadline: sla.firstContactDeadline,
    feedbackDeadline: sla.feedbackDeadline,
  };
}

/**
 * Every referral's brief as of T (optionally one partner's), in submission order. The
 * flags and duplicates are those stored in the log (a what-if does not recompute them).
 *
 * @example
 * computeBriefs(model).filter((b) => b.nextAction === 'review-flags')
 */
export function computeBriefs(
  model: LedgerModel,
  options: { partnerId?: string | undefined } = {},
): ReferralBrief[] {
  const rules = model.rulesAt(model.asOf);
  return sortedReferrals(model)
    .filter((r) => options.partnerId === undefined || r.partnerId === options.partnerId)
    .map((r) => {
      const brief = referralBrief(model, r, rules);
      const dup = brief.duplicateOf;
      if (options.partnerId === undefined || dup?.kind !== 'referral' || dup.id === null) return brief;
      const first = model.referrals.get(dup.id);
      const owner = first ? referralState(first)?.partnerId : undefined;
      return owner === options.partnerId ? brief : { ...brief, duplicateOf: { kind: dup.kind, id: null } };
    });
}
