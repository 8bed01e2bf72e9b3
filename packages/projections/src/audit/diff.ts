import { convertMinor, HOUSE, type RecordedEvent, type RuleSet } from '@referral-ledger/core';
import { computeAttribution } from '../attribution/compute.ts';
import type { Credit, OpportunityAttribution } from '../attribution/types.ts';
import { computeCommission } from '../commission/engine.ts';
import { LedgerModel, type ReplayOptions } from '../model.ts';
import { iso } from '../time.ts';

/** One opportunity's credits under both rule sets (SPEC §9 diff JSON). */
export interface OpportunityDiff {
  readonly opportunityId: string;
  readonly status: 'open' | 'won' | 'lost';
  readonly changed: boolean;
  readonly before: readonly Credit[];
  readonly after: readonly Credit[];
}

/** One partner's deltas, after − before (SPEC §9 diff JSON). */
export interface PartnerDiff {
  readonly partnerId: string;
  /** Change in the partner's credited amounts over all deals, in the report `currency`. */
  readonly creditedDelta: number;
  /** Change in the partner's earned commission, in its payout currency; null when not computed. */
  readonly commissionDelta: number | null;
  /** The partner's payout currency, the currency of `commissionDelta`. */
  readonly commissionCurrency?: string;
}

export interface DiffReport {
  readonly asOf: string;
  readonly knownAt: string | null;
  readonly before: { readonly ruleVersion: string };
  readonly after: { readonly ruleVersion: string };
  /** The currency of `creditedDelta` (the after rule set's), deals converted at their close. */
  readonly currency: string;
  readonly opportunities: readonly OpportunityDiff[];
  readonly partners: readonly PartnerDiff[];
  /** Deals left out of `creditedDelta` for want of an exchange rate. */
  readonly missingFxRate: readonly string[];
}

/** Earned commission per partner under one rebuild, with each partner's payout currency. */
export type CommissionEarned = (
  model: LedgerModel,
  attribution: ReadonlyMap<string, OpportunityAttribution>,
) => ReadonlyMap<string, { readonly earned: number; readonly currency: string }>;

/** Earned commission per enrolled partner (SPEC §6.1 `earned`), in its payout currency. */
export const earnedCommission: CommissionEarned = (model, attribution) => {
  const out = new Map<string, { earned: number; currency: string }>();
  for (const p of computeCommission(model, attribution, { explain: false }).partners)
    out.set(p.partnerId, { earned: p.earned, currency: p.currency });
  return out;
};

/**
 * Rebuild the views of a log under a rule set that applies to everything (what-if, SPEC
 * §8): the log is only read. `options.rules` is replaced by `rules`.
 *
 * @example const v2 = whatIf(events, rulesV2, { asOf: '2026-06-30T00:00:00Z' });
 */
export function whatIf(
  events: Iterable<RecordedEvent>,
  rules: RuleSet,
  options: ReplayOptions = {},
): LedgerModel {
  const model = new LedgerModel({ ...options, rules });
  for (const e of events) model.apply(e);
  return model.finish();
}

function sameCredits(a: readonly Credit[], b: readonly Credit[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.partyId !== y.partyId ||
      x.kind !== y.kind ||
      x.amount !== y.amount ||
      Math.abs(x.share - y.share) > 1e-12
    )
      return false;
  }
  return true;
}

/**
 * Diff two rebuilds of the same log (SPEC §8 What-if and diff): every opportunity with
 * its credits before and after (`changed` tells which moved), and per partner the change
 * in credited amounts (in the after rule set's currency, each deal converted at its close,
 * open deals at T) and in earned commission (SPEC §6.1, in the partner's payout currency;
 * `commission: null` leaves it out). Deltas are after − before. The house is not a
 * partner and has no row.
 *
 * @example
 * const d = diffModels(whatIf(events, v1, { asOf }), whatIf(events, v2, { asOf }));
 * d.partners.find((p) => p.partnerId === 'P-1')?.creditedDelta
 */
export function diffModels(
  before: LedgerModel,
  after: LedgerModel,
  options: { readonly commission?: CommissionEarned | null } = {},
): DiffReport {
  const commission = options.commission === undefined ? earnedCommission : options.commission;
  const A = computeAttribution(before);
  const B = computeAttribution(after);
  const currency = after.rulesAt(after.asOf).currency;
  const ids = new Set<string>([...A.keys(), ...B.keys()]);
  const opportunities: OpportunityDiff[] = [];
  const credited = new Map<string, number>();
  const missing = new Set<string>();
  const add = (a: OpportunityAttribution | undefined, sign: 1 | -1, model: LedgerModel) => {
    if (!a) return;
    const t = a.closedAt ?? model.asOf;
    const fx = model.fxRate(a.value.currency, currency, t);
    for (const c of a.credits) {
      if (c.partyId === HOUSE) continue;
      if (!credited.has(c.partyId)) credited.set(c.partyId, 0);
      if (!fx) {
        missing.add(a.opportunityId);
        continue;
      }
      credited.set(
        c.partyId,
        credited.get(c.partyId)! + sign * convertMinor(c.amount, a.value.currency, currency, fx.rate),
      );
    }
  };
  for (const id of [...ids].sort()) {
    const a = A.get(id);
    const b = B.get(id);
    const beforeCredits = a?.credits ?? [];
    const afterCredits = b?.credits ?? [];
    opportunities.push({
      opportunityId: id,
      status: (b ?? a)!.status,
      changed: !sameCredits(beforeCredits, afterCredits),
      before: beforeCredits,
      after: afterCredits,
    });
    add(a, -1, before);
    add(b, 1, after);
  }
  const earnedBefore = commission?.(before, A);
  const earnedAfter = commission?.(after, B);
  const partnerIds = new Set<string>([
    ...credited.keys(),
    ...(earnedBefore?.keys() ?? []),
    ...(earnedAfter?.keys() ?? []),
  ]);
  const partners: PartnerDiff[] = [...partnerIds].sort().map((partnerId) => {
    const creditedDelta = credited.get(partnerId) ?? 0;
    if (!commission) return { partnerId, creditedDelta, commissionDelta: null };
    const x = earnedBefore?.get(partnerId);
    const y = earnedAfter?.get(partnerId);
    return {
      partnerId,
      creditedDelta,
      commissionDelta: (y?.earned ?? 0) - (x?.earned ?? 0),
      commissionCurrency: (y ?? x)?.currency ?? currency,
    };
  });
  return {
    asOf: iso(after.asOf),
    knownAt: after.knownAt === null ? null : iso(after.knownAt),
    before: { ruleVersion: before.callerRules?.version ?? before.rulesAt(before.asOf).version },
    after: { ruleVersion: after.callerRules?.version ?? after.rulesAt(after.asOf).version },
    currency,
    opportunities,
    partners,
    missingFxRate: [...missing].sort(),
  };
}
