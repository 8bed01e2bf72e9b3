import { convertMinor } from '@referral-ledger/core';
import { median } from '../exchange/shares.ts';
import type { LedgerModel } from '../model.ts';
import { elapsedMs, firstContactMinutes } from '../sla/clock.ts';
import { sortedReferrals } from '../sla/sla.ts';
import { opportunityState, partnerState, type PartnerState } from '../state.ts';
import { DAY, HOUR } from '../time.ts';

/** The KPI names of SPEC §6.7, in report order. */
export const KPI_NAMES = [
  'partnerSourcedRevenueShare',
  'referralWinRate',
  'medianFirstContactMinutes',
  'activeReferrerShare',
  'registrationQuality',
  'referralAcceptanceRate',
  'customerSourcedRevenueShare',
  'employeeSourcedRevenueShare',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

/** One KPI: its value (null without data), its target (null if none), whether it is met. */
export interface Kpi {
  readonly name: KpiName;
  readonly value: number | null;
  readonly target: number | null;
  readonly met: boolean | null;
}

export interface KpiReport {
  /** Period start (ISO), null for "from the beginning". */
  readonly from: string | null;
  readonly to: string;
  readonly currency: string;
  readonly kpis: readonly Kpi[];
  /** Won deals left out of the revenue shares because no exchange rate covered them. */
  readonly unconverted: readonly string[];
}

/** What the KPIs need of the attribution view: each opportunity's sourced party. */
export interface AttributionForKpis {
  readonly sourcedPartyId?: string | null;
}

export interface KpiOptions {
  /** Period start; default: the beginning. */
  readonly from?: number | undefined;
  /** Period end (exclusive); default: T. */
  readonly to?: number | undefined;
  /** `computeAttribution(model)`: the sourced party of each opportunity. */
  readonly attribution: ReadonlyMap<string, AttributionForKpis>;
  /**
   * The partner-scoped view: referral KPIs over that partner's referrals only, the win rate
   * over deals it sourced, revenue shares as its own sourced won value ÷ all won value.
   */
  readonly partnerId?: string | undefined;
}

function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/**
 * The programme KPIs of SPEC §6.7 over [from, to), with targets from the rule set in force
 * at T and amounts in its currency (each won deal converted at its close):
 * - `partnerSourcedRevenueShare` (and customer / employee): won value of deals won in the
 *   period whose sourced party is of that program ÷ won value of all deals won in the period;
 * - `referralWinRate`: won ÷ closed, of deals closed in the period that have a sourced party;
 * - `medianFirstContactMinutes`: median §6.8 first-contact time of referrals submitted in
 *   the period and contacted (met when ≤ target);
 * - `activeReferrerShare`: `partner`-program partners enrolled before `to` and not offboarded
 *   by then that submitted a referral in the 30 days before `to`, ÷ all such partners;
 * - `registrationQuality`: of `partner`-program referrals submitted in the period, the share
 *   accepted or rejected that got feedback within `sla.feedbackHours` (on the SLA clock);
 * - `referralAcceptanceRate`: accepted ÷ (accepted + rejected) of referrals submitted in the period.
 *
 * @example
 * computeKpis(model, { from: Date.parse('2026-04-01T00:00:00Z'), to: Date.parse('2026-05-01T00:00:00Z'), attribution })
 */
export function computeKpis(model: LedgerModel, options: KpiOptions): KpiReport {
  const t = model.asOf;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? t;
  const rules = model.rulesAt(t);
  const currency = rules.currency;
  const scope = options.partnerId;
  const inPeriod = (at: number) => at >= from && at < to;

  const partners = new Map<string, PartnerState>();
  for (const rec of model.partners.values()) {
    const p = partnerState(rec);
    if (p) partners.set(p.partnerId, p);
  }
  const programOf = (id: string | null | undefined) => (id ? (partners.get(id)?.program ?? null) : null);

  // Revenue shares and win rate over deals.
  const wonBy = { all: 0, partner: 0, customer: 0, employee: 0 };
  let closedSourced = 0;
  let wonSourced = 0;
  const unconverted: string[] = [];
  for (const rec of model.opportunities.values()) {
    const o = model.derived(opportunityState, rec);
    if (!o || o.status === 'open' || o.closedAt === null || !inPeriod(o.closedAt)) continue;
    const sourced = options.attribution.get(o.opportunityId)?.sourcedPartyId ?? null;
    const hasSource = sourced !== null && sourced !== 'house';
    const own = scope === undefined || sourced === scope;
    if (hasSource && own) {
      closedSourced++;
      if (o.status === 'won') wonSourced++;
    }
    if (o.status !== 'won') continue;
    const rate = model.fxRate(o.value.currency, currency, o.closedAt);
    if (!rate) {
      unconverted.push(o.opportunityId);
      continue;
    }
    const value = convertMinor(o.value.amount, o.value.currency, currency, rate.rate);
    wonBy.all += value;
    const program = hasSource && own ? programOf(sourced) : null;
    if (program) wonBy[program] += value;
  }

  // Referral KPIs.
  const contactMinutes: number[] = [];
  let accepted = 0;
  let rejected = 0;
  let partnerReferrals = 0;
  let wellRegistered = 0;
  const feedbackBudget = rules.sla.feedbackHours * HOUR;
  const activeFrom = to - 30 * DAY;
  const active = new Set<string>();
  for (const r of sortedReferrals(model)) {
    if (scope !== undefined && r.partnerId !== scope) continue;
    if (r.submittedAt >= activeFrom && r.submittedAt < to) active.add(r.partnerId);
    if (!inPeriod(r.submittedAt)) continue;
    if (r.contacted) contactMinutes.push(firstContactMinutes(r.submittedAt, r.contacted.at, rules));
    if (r.rejected) rejected++;
    else if (r.accepted) accepted++;
    if (programOf(r.partnerId) === 'partner') {
      partnerReferrals++;
      const feedback = r.feedback[0];
      if (
        (r.accepted || r.rejected) &&
        feedback &&
        elapsedMs(r.submittedAt, feedback.at, rules.sla.businessHours) <= feedbackBudget
      )
        wellRegistered++;
    }
  }
  let eligible = 0;
  let activeCount = 0;
  for (const p of partners.values()) {
    if (p.program !== 'partner') continue;
    if (scope !== undefined && p.partnerId !== scope) continue;
    if (!(p.enrolledAt < to)) continue;
    if (p.offboardedAt !== null && p.offboardedAt < to) continue;
    eligible++;
    if (active.has(p.partnerId)) activeCount++;
  }

  const values: Record<KpiName, number | null> = {
    partnerSourcedRevenueShare: ratio(wonBy.partner, wonBy.all),
    referralWinRate: ratio(wonSourced, closedSourced),
    medianFirstContactMinutes: median(contactMinutes),
    activeReferrerShare: ratio(activeCount, eligible),
    registrationQuality: ratio(wellRegistered, partnerReferrals),
    referralAcceptanceRate: ratio(accepted, accepted + rejected),
    customerSourcedRevenueShare: ratio(wonBy.customer, wonBy.all),
    employeeSourcedRevenueShare: ratio(wonBy.employee, wonBy.all),
  };
  const kpis = KPI_NAMES.map((name): Kpi => {
    const value = values[name];
    const target = rules.kpis[name] ?? null;
    const met =
      value === null || target === null
        ? null
        : name === 'medianFirstContactMinutes'
          ? value <= target
          : value >= target;
    return { name, value, target, met };
  });
  return {
    from: Number.isFinite(from) ? new Date(from).toISOString() : null,
    to: new Date(to).toISOString(),
    currency,
    kpis,
    unconverted,
  };
}
