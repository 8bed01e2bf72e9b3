import { convertMinor } from '@referral-ledger/core';
import type { LedgerModel } from '../model.ts';
import { payoutState, referralState } from '../state.ts';
import { iso } from '../time.ts';
import { computeCommission } from './engine.ts';
import { type PartnerStatement, statements } from './statements.ts';
import type { CommissionLine, CommissionResult, CommissionAttribution } from './types.ts';

/** A commission line as SPEC §9 prints it (plus `partnerId`). */
export interface CommissionLineJson {
  readonly partnerId: string;
  readonly opportunityId: string;
  readonly kind: CommissionLine['kind'];
  readonly tier: CommissionLine['tier'];
  readonly schedule: CommissionLine['schedule'];
  readonly period?: number;
  readonly accruesAt: string;
  readonly currency: string;
  readonly credited: number;
  readonly rateBps: number;
  readonly condition?: string;
  readonly commission: number;
  readonly outsideTerms: number;
  readonly clawedBack: number;
  readonly payoutAmount: number;
  readonly fxRate?: string;
  readonly eligible: boolean;
  readonly reason?: string;
}

export interface CommissionReport {
  readonly asOf: string;
  readonly partners: {
    readonly partnerId: string;
    readonly currency: string;
    readonly earned: number;
    readonly approved: number;
    readonly paid: number;
    readonly payable: number;
    readonly outstanding: number;
    readonly lines: CommissionLineJson[];
  }[];
}

/** The SPEC §9 fields of a line, in the order the spec lists them. */
export function lineJson(l: CommissionLine): CommissionLineJson {
  return {
    partnerId: l.partnerId,
    opportunityId: l.opportunityId,
    kind: l.kind,
    tier: l.tier,
    schedule: l.schedule,
    ...(l.period !== undefined ? { period: l.period } : {}),
    accruesAt: l.accruesAt,
    currency: l.currency,
    credited: l.credited,
    rateBps: l.rateBps,
    ...(l.condition !== undefined ? { condition: l.condition } : {}),
    commission: l.commission,
    outsideTerms: l.outsideTerms,
    clawedBack: l.clawedBack,
    payoutAmount: l.payoutAmount,
    ...(l.fxRate !== undefined ? { fxRate: l.fxRate } : {}),
    eligible: l.eligible,
    ...(l.reason !== undefined ? { reason: l.reason } : {}),
  };
}

/**
 * `report commission` (SPEC §9): every enrolled partner with its totals in its payout
 * currency and its lines. With `partner`, that partner only.
 *
 * @example commissionReport(model, computeAttribution(model), { partner: 'P-1' }).partners[0]?.earned
 */
export function commissionReport(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: { partner?: string | undefined; commission?: CommissionResult } = {},
): CommissionReport {
  const result = options.commission ?? computeCommission(model, attribution, { explain: false });
  return {
    asOf: iso(model.asOf),
    partners: result.partners
      .filter((p) => options.partner === undefined || p.partnerId === options.partner)
      .map((p) => ({
        partnerId: p.partnerId,
        currency: p.currency,
        earned: p.earned,
        approved: p.approved,
        paid: p.paid,
        payable: p.payable,
        outstanding: p.outstanding,
        lines: p.lines.map(lineJson),
      })),
  };
}

export interface PayoutRow {
  readonly payoutId: string;
  readonly partnerId: string;
  /** Minor units of `currency` (the partner's payout currency). */
  readonly amount: number;
  readonly currency: string;
  readonly provider: string;
  readonly status: 'scheduled' | 'sent' | 'failed' | 'reversed';
  readonly scheduledAt: string;
  readonly sentAt: string | null;
  readonly lines: { readonly opportunityId: string; readonly amount: number; readonly currency: string }[];
}

/**
 * `report payouts` (SPEC §9): every payout with its status as of T (a failed payout is not
 * paid; a reversed one came back), oldest first. With `partner`, its payouts only.
 */
export function payoutsReport(
  model: LedgerModel,
  options: { partner?: string | undefined } = {},
): { asOf: string; payouts: PayoutRow[] } {
  const rows: (PayoutRow & { pos: number; at: number })[] = [];
  for (const rec of model.payouts.values()) {
    const s = payoutState(rec);
    if (!s) continue;
    const d = s.scheduled.event.data;
    if (options.partner !== undefined && d.partnerId !== options.partner) continue;
    rows.push({
      payoutId: s.payoutId,
      partnerId: d.partnerId,
      amount: d.amount.amount,
      currency: d.amount.currency,
      provider: d.provider,
      status: s.status,
      scheduledAt: iso(s.scheduled.at),
      sentAt: s.sentAt === null ? null : iso(s.sentAt),
      lines: d.lines.map((l) => ({
        opportunityId: l.opportunityId,
        amount: l.amount.amount,
        currency: l.amount.currency,
      })),
      pos: s.scheduled.event.position,
      at: s.scheduled.at,
    });
  }
  rows.sort((a, b) => a.at - b.at || a.pos - b.pos);
  return { asOf: iso(model.asOf), payouts: rows.map(({ pos: _p, at: _a, ...r }) => r) };
}

/**
 * `report statements` (SPEC §9): monthly statements per partner in calendar months of
 * `timeZone` (UTC by default). With `partner`, its statement only.
 */
export function statementsReport(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: {
    partner?: string | undefined;
    timeZone?: string | undefined;
    commission?: CommissionResult;
  } = {},
): { asOf: string; timeZone: string; partners: PartnerStatement[] } {
  const result = options.commission ?? computeCommission(model, attribution, { explain: false });
  const scoped =
    options.partner === undefined
      ? result
      : { partners: result.partners.filter((p) => p.partnerId === options.partner) };
  return {
    asOf: iso(model.asOf),
    timeZone: options.timeZone ?? 'UTC',
    partners: statements(scoped, { asOf: model.asOf, timeZone: options.timeZone }),
  };
}

/** One row of the Partner Attribution Report (SPEC §7, §9 partners JSON). */
export interface PartnerRow {
  readonly partnerId: string;
  readonly name: string;
  readonly program: string;
  readonly referrals: number;
  readonly pipeline: number;
  readonly wonRevenue: number;
  readonly wonDeals: number;
  readonly commission: number;
  /** won ÷ (won + lost) of its credited deals closed in the period; null with none closed. */
  readonly winRate: number | null;
}

export interface PartnersReport {
  readonly asOf: string;
  readonly from: string | null;
  readonly to: string;
  /** The rule set's currency, in which every amount is given. */
  readonly currency: string;
  readonly partners: PartnerRow[];
  /** Deals (or lines) left out because no rate converts them into `currency`. */
  readonly missingFxRate: string[];
}

/**
 * The partner report for a period [from, to) (`to` defaults to T), in the rule set's
 * currency (SPEC §6.4, §9): referrals submitted in the period; `pipeline` = its credited
 * amounts on open deals opened in the period, converted at T; `wonRevenue` / `wonDeals` =
 * its credited amounts on / count of deals won in the period, converted at each close;
 * `commission` = its lines accrued in the period, net of clawbacks, converted at each
 * accrual; `winRate` = won ÷ (won + lost) of its credited deals closed in the period.
 */
export function partnersReport(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: {
    partner?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
    commission?: CommissionResult;
  } = {},
): PartnersReport {
  const T = model.asOf;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? T;
  const inPeriod = (t: number) => t >= from && t < to;
  const currency = model.rulesAt(T).currency;
  const missing = new Set<string>();
  const conv = (amount: number, ccy: string, t: number, what: string): number => {
    if (ccy === currency) return amount;
    const fx = model.fxRate(ccy, currency, t);
    if (!fx) {
      missing.add(what);
      return 0;
    }
    return convertMinor(amount, ccy, currency, fx.rate);
  };
  const result = options.commission ?? computeCommission(model, attribution, { explain: false });
  const rows = new Map<
    string,
    {
      referrals: number;
      pipeline: number;
      wonRevenue: number;
      wonDeals: number;
      lost: number;
      commission: number;
    }
  >();
  for (const p of result.partners)
    rows.set(p.partnerId, { referrals: 0, pipeline: 0, wonRevenue: 0, wonDeals: 0, lost: 0, commission: 0 });
  for (const rec of model.referrals.values()) {
    const r = model.derived(referralState, rec);
    if (!r || !inPeriod(r.submittedAt)) continue;
    const row = rows.get(r.partnerId);
    if (row) row.referrals += 1;
  }
  for (const a of attribution.values()) {
    const ccy = a.value.currency;
    for (const c of a.credits) {
      const row = rows.get(c.partyId);
      if (!row) continue;
      if (a.status === 'open') {
        if (inPeriod(a.state.openedAt)) row.pipeline += conv(c.amount, ccy, T, a.opportunityId);
      } else if (a.closedAt !== null && inPeriod(a.closedAt)) {
        if (a.status === 'won') {
          row.wonRevenue += conv(c.amount, ccy, a.closedAt, a.opportunityId);
          row.wonDeals += 1;
        } else row.lost += 1;
      }
    }
  }
  for (const p of result.partners) {
    const row = rows.get(p.partnerId)!;
    for (const l of p.lines) {
      if (!inPeriod(l.accruesAtMs) || l.commission === 0) continue;
      row.commission += conv(l.commission - l.clawedBack, l.currency, l.accruesAtMs, l.opportunityId);
    }
  }
  const partners: PartnerRow[] = [];
  for (const p of result.partners) {
    if (options.partner !== undefined && p.partnerId !== options.partner) continue;
    const r = rows.get(p.partnerId)!;
    const rec = model.partners.get(p.partnerId)!;
    const closed = r.wonDeals + r.lost;
    partners.push({
      partnerId: p.partnerId,
      name: rec.enrolled?.event.data.name ?? p.partnerId,
      program: p.program,
      referrals: r.referrals,
      pipeline: r.pipeline,
      wonRevenue: r.wonRevenue,
      wonDeals: r.wonDeals,
      commission: r.commission,
      winRate: closed === 0 ? null : r.wonDeals / closed,
    });
  }
  return {
    asOf: iso(T),
    from: Number.isFinite(from) ? iso(from) : null,
    to: iso(to),
    currency,
    partners,
    missingFxRate: [...missing].sort(),
  };
}

export interface LeaderboardRow {
  readonly rank: number;
  readonly partnerId: string;
  readonly wonRevenue: number;
  readonly wonDeals: number;
  readonly referrals: number;
}

/**
 * The leaderboard (SPEC §9): partners ranked by won revenue in the rule set's currency,
 * then won deals, then referrals, then id; equal figures share a rank (1, 2, 2, 4). With
 * `partner`, only that partner's own row and rank.
 */
export function leaderboardReport(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: {
    partner?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
    commission?: CommissionResult;
  } = {},
): { asOf: string; currency: string; partners: LeaderboardRow[] } {
  const all = partnersReport(model, attribution, { ...options, partner: undefined });
  const sorted = [...all.partners].sort(
    (a, b) =>
      b.wonRevenue - a.wonRevenue ||
      b.wonDeals - a.wonDeals ||
      b.referrals - a.referrals ||
      (a.partnerId < b.partnerId ? -1 : 1),
  );
  const rows: LeaderboardRow[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    const same =
      prev !== undefined &&
      prev.wonRevenue === p.wonRevenue &&
      prev.wonDeals === p.wonDeals &&
      prev.referrals === p.referrals;
    const rank = same ? rows[i - 1]!.rank : i + 1;
    rows.push({
      rank,
      partnerId: p.partnerId,
      wonRevenue: p.wonRevenue,
      wonDeals: p.wonDeals,
      referrals: p.referrals,
    });
  });
  return {
    asOf: all.asOf,
    currency: all.currency,
    partners: options.partner === undefined ? rows : rows.filter((r) => r.partnerId === options.partner),
  };
}
