import { convertMinor, type Money } from '@referral-ledger/core';
import type { LedgerModel } from '../model.ts';
import { HOUR, iso } from '../time.ts';
import { computeAttribution } from './compute.ts';
import type { Credit, CreditKind } from './types.ts';

/** One row of the attribution report (SPEC §9 attribution JSON). */
export interface AttributionRow {
  readonly opportunityId: string;
  readonly status: 'open' | 'won' | 'lost';
  readonly value: Money;
  readonly conflict: boolean;
  readonly disputed: boolean;
  readonly ruleVersion: string;
  readonly credits: readonly Credit[];
  /** Omitted in a partner-scoped view unless the partner itself is the sourced party. */
  readonly sourcedPartyId?: string | null;
  readonly closedAt: string | null;
}

export interface AttributionReport {
  readonly asOf: string;
  readonly opportunities: readonly AttributionRow[];
}

function byId(a: { opportunityId: string }, b: { opportunityId: string }): number {
  return a.opportunityId < b.opportunityId ? -1 : a.opportunityId > b.opportunityId ? 1 : 0;
}

/**
 * The attribution report (SPEC §9): every opportunity with status, value, conflict,
 * disputed, rule version and credits. With `partner`, only the deals where that partner
 * holds a credit, each showing only its own credit (never another partner's id or amount).
 *
 * @example attributionReport(model, { partner: 'P-1' }).opportunities[0]?.credits // [{partyId: 'P-1', ...}]
 */
export function attributionReport(
  model: LedgerModel,
  options: { partner?: string | undefined } = {},
): AttributionReport {
  const rows: AttributionRow[] = [];
  for (const a of computeAttribution(model).values()) {
    const base = {
      opportunityId: a.opportunityId,
      status: a.status,
      value: a.value,
      conflict: a.conflict,
      disputed: a.disputed,
      ruleVersion: a.ruleVersion,
    };
    const closedAt = a.closedAt === null ? null : iso(a.closedAt);
    if (options.partner === undefined) {
      rows.push({ ...base, credits: a.credits, sourcedPartyId: a.sourcedPartyId, closedAt });
      continue;
    }
    const own = a.credits.filter((c) => c.partyId === options.partner);
    if (own.length === 0) continue;
    rows.push({
      ...base,
      credits: own,
      ...(a.sourcedPartyId === options.partner ? { sourcedPartyId: a.sourcedPartyId } : {}),
      closedAt,
    });
  }
  rows.sort(byId);
  return { asOf: iso(model.asOf), opportunities: rows };
}

/** SPEC §9 sources JSON: won credited amounts by kind, in the rule set's currency. */
export interface SourcesReport {
  readonly asOf: string;
  readonly currency: string;
  readonly sourced: number;
  readonly influenced: number;
  readonly resold: number;
  readonly house: number;
  /** Won deals counted, and those left out for want of an exchange rate at their close. */
  readonly deals: number;
  readonly missingFxRate: readonly string[];
}

/**
 * Sourced vs influenced revenue (SPEC §7): the credited amounts of won deals by credit
 * kind, each converted into the rule set's currency at the deal's close (SPEC §6.4). The
 * period [from, to) filters deals by close time. A deal whose currency has no rate at its
 * close is left out and named in `missingFxRate`. With `partner`, only its own credits.
 */
export function sourcesReport(
  model: LedgerModel,
  options: { partner?: string | undefined; from?: number | undefined; to?: number | undefined } = {},
): SourcesReport {
  const currency = model.rulesAt(model.asOf).currency;
  const totals: Record<CreditKind, number> = { sourced: 0, influenced: 0, resold: 0, house: 0 };
  const missing: string[] = [];
  let deals = 0;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  for (const a of computeAttribution(model).values()) {
    if (a.status !== 'won' || a.closedAt === null) continue;
    if (a.closedAt < from || a.closedAt >= to) continue;
    const credits =
      options.partner === undefined ? a.credits : a.credits.filter((c) => c.partyId === options.partner);
    if (credits.length === 0) continue;
    const fx = model.fxRate(a.value.currency, currency, a.closedAt);
    if (!fx) {
      missing.push(a.opportunityId);
      continue;
    }
    deals += 1;
    for (const c of credits) totals[c.kind] += convertMinor(c.amount, a.value.currency, currency, fx.rate);
  }
  missing.sort();
  return { asOf: iso(model.asOf), currency, ...totals, deals, missingFxRate: missing };
}

export interface DisputeRow {
  readonly disputeId: string;
  readonly opportunityId: string;
  readonly claimantPartnerId: string;
  readonly status: 'open' | 'upheld' | 'rejected' | 'split';
  /** Whole hours (rounded down) from the dispute to its resolution, or to T while open. */
  readonly ageHours: number;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
  readonly claim: string;
}

/**
 * The dispute queue (SPEC §7, §9 disputes JSON): every dispute, open ones first (oldest
 * first), then resolved ones. With `partner`, only the disputes that partner raised.
 */
export function disputesReport(
  model: LedgerModel,
  options: { partner?: string | undefined } = {},
): { asOf: string; disputes: DisputeRow[] } {
  model.finish();
  const rows: DisputeRow[] = [];
  for (const rec of model.disputes.values()) {
    let opened: (typeof rec.facts)[number] | null = null;
    let last: (typeof rec.facts)[number] | null = null;
    for (const f of rec.facts) {
      if (f.event.type === 'AttributionDisputed') opened ??= f;
      else last = f;
    }
    if (opened?.event.type !== 'AttributionDisputed') continue;
    const d = opened.event.data;
    if (options.partner !== undefined && d.claimantPartnerId !== options.partner) continue;
    const status = last && last.event.type === 'DisputeResolved' ? last.event.data.decision : 'open';
    const end = last ? last.at : model.asOf;
    rows.push({
      disputeId: rec.disputeId,
      opportunityId: d.opportunityId,
      claimantPartnerId: d.claimantPartnerId,
      status,
      ageHours: Math.max(0, Math.floor((end - opened.at) / HOUR)),
      openedAt: iso(opened.at),
      resolvedAt: last ? iso(last.at) : null,
      claim: d.claim,
    });
  }
  rows.sort(
    (a, b) =>
      Number(a.status !== 'open') - Number(b.status !== 'open') ||
      a.openedAt.localeCompare(b.openedAt) ||
      (a.disputeId < b.disputeId ? -1 : 1),
  );
  return { asOf: iso(model.asOf), disputes: rows };
}
