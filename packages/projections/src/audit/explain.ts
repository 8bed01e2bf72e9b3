import { formatAmount } from './format.ts';
import { computeAttribution } from '../attribution/compute.ts';
import type { CreditKind, OpportunityAttribution } from '../attribution/types.ts';
import { computeCommission } from '../commission/engine.ts';
import type { CommissionLine } from '../commission/types.ts';
import { type EventRef, type LedgerModel, refOf } from '../model.ts';
import { iso } from '../time.ts';
import { LIBRARY_VERSION } from '../version.ts';

/** One party's line of the minor-unit allocation (SPEC §5 "Money"). */
export interface AllocationLine {
  readonly partyId: string;
  readonly kind: CreditKind;
  readonly share: number;
  /** share × value, before rounding. */
  readonly exact: number;
  readonly floor: number;
  /** The fractional remainder, rounded to 1e-9 as compared. */
  readonly remainder: number;
  /** Units given by the largest-remainder step (0 or 1, more only for many tiny parties). */
  readonly extra: number;
  readonly amount: number;
}

/** A commission line as explain shows it: the arithmetic, each fact citing its event. */
export interface ExplainedCommissionLine {
  readonly partnerId: string;
  readonly kind: string;
  readonly tier: string;
  readonly schedule: string;
  readonly period?: number;
  readonly credited: number;
  readonly rateBps: number;
  readonly commission: number;
  readonly clawedBack: number;
  readonly payoutAmount: number;
  readonly currency: string;
  readonly accruesAt: string;
  readonly condition?: string;
  readonly outsideTerms: number;
  readonly fxRate?: string;
  readonly eligible: boolean;
  readonly reason?: string;
  /** The arithmetic, each step citing the events it used. */
  readonly steps: readonly string[];
}

/** Everything behind one opportunity's figures (SPEC §8 Explain), JSON-ready. */
export interface OpportunityExplanation {
  readonly libraryVersion: string;
  readonly opportunityId: string;
  readonly asOf: string;
  readonly knownAt: string | null;
  readonly status: 'open' | 'won' | 'lost';
  readonly value: { readonly amount: number; readonly currency: string };
  readonly opened: { readonly at: string } & EventRef;
  readonly close: ({ readonly at: string; readonly type: string } & EventRef) | null;
  /** The rule set version the deal was attributed under (also in `rules`). */
  readonly ruleVersion: string;
  /** The final credits (after any dispute resolution), as the attribution report shows them. */
  readonly credits: OpportunityAttribution['credits'];
  readonly rules: {
    readonly version: string;
    /** The `RuleSetPublished` it came from; null when given by the caller or the defaults. */
    readonly source: EventRef | null;
    readonly origin: 'given' | 'published' | 'defaults';
    readonly model: string;
    readonly protectionDays: number;
    readonly lookbackDays: number;
    readonly halfLifeDays: number;
    readonly sourcedShare: number;
  };
  readonly evaluatedAt: string;
  readonly conflict: boolean;
  readonly disputed: boolean;
  readonly registrations: readonly {
    readonly referralId: string;
    readonly partnerId: string;
    readonly submittedAt: string;
    readonly window: { readonly from: string; readonly to: string };
    readonly matchedOn: readonly string[];
    readonly candidate: boolean;
    readonly outcome: string;
    readonly reason: string;
    readonly eventId: string;
    readonly position: number;
  }[];
  readonly touches: readonly {
    readonly partyId: string;
    readonly kind: string;
    readonly at: string;
    readonly origin: string;
    readonly activity: string | null;
    readonly counted: boolean;
    readonly excludedBecause: string | null;
    readonly weight: number;
    readonly eventId: string;
    readonly position: number;
  }[];
  readonly computedShares: readonly { readonly partyId: string; readonly share: number }[];
  readonly disputes: readonly {
    readonly disputeId: string;
    readonly claimantPartnerId: string;
    readonly status: string;
    readonly openedAt: string;
    readonly resolvedAt: string | null;
    readonly applied: boolean;
    readonly eventId: string;
    readonly position: number;
    readonly resolution: EventRef | null;
  }[];
  readonly allocation: {
    readonly amount: number;
    readonly currency: string;
    readonly floorTotal: number;
    readonly remainderUnits: number;
    readonly lines: readonly AllocationLine[];
  };
  /** Commission lines on this deal with their arithmetic; null when left out. */
  readonly commission: readonly ExplainedCommissionLine[] | null;
}

/** Options for `explainOpportunity`. */
export interface ExplainOptions {
  readonly libraryVersion?: string;
  /**
   * Commission lines of this deal: computed from the model when omitted (SPEC §6), or given
   * by the caller; `null` leaves commission out.
   */
  readonly commission?: readonly ExplainedCommissionLine[] | null;
}

/** The commission lines of one opportunity with their arithmetic (SPEC §8 Explain). */
export function explainCommission(model: LedgerModel, opportunityId: string): ExplainedCommissionLine[] {
  const result = computeCommission(model, computeAttribution(model), { explain: true });
  const lines: ExplainedCommissionLine[] = [];
  for (const p of result.partners)
    for (const l of p.lines) if (l.opportunityId === opportunityId) lines.push(explainedLine(l));
  return lines;
}

function explainedLine(l: CommissionLine): ExplainedCommissionLine {
  return {
    partnerId: l.partnerId,
    kind: l.kind,
    tier: l.tier,
    schedule: l.schedule,
    ...(l.period !== undefined ? { period: l.period } : {}),
    accruesAt: l.accruesAt,
    credited: l.credited,
    rateBps: l.rateBps,
    ...(l.condition !== undefined ? { condition: l.condition } : {}),
    commission: l.commission,
    outsideTerms: l.outsideTerms,
    clawedBack: l.clawedBack,
    payoutAmount: l.payoutAmount,
    currency: l.currency,
    ...(l.fxRate !== undefined ? { fxRate: l.fxRate } : {}),
    eligible: l.eligible,
    ...(l.reason !== undefined ? { reason: l.reason } : {}),
    steps: l.explanation,
  };
}

function allocationOf(a: OpportunityAttribution): OpportunityExplanation['allocation'] {
  const total = Math.abs(a.value.amount);
  const sign = a.value.amount < 0 ? -1 : 1;
  const lines: AllocationLine[] = a.credits.map((c) => {
    const exact = c.share * total;
    const floor = Math.floor(exact);
    const remainder = Math.round((exact - floor) * 1e9) / 1e9;
    return {
      partyId: c.partyId,
      kind: c.kind,
      share: c.share,
      exact: sign * exact,
      floor: sign * floor,
      remainder,
      extra: c.amount - sign * floor,
      amount: c.amount,
    };
  });
  const floorTotal = lines.reduce((s, l) => s + l.floor, 0);
  return {
    amount: a.value.amount,
    currency: a.value.currency,
    floorTotal,
    remainderUnits: a.value.amount - floorTotal,
    lines,
  };
}

/**
 * Explain one opportunity (SPEC §8): the library and rule versions, every registration
 * considered with its protection window and why it won or lost, every touch with its
 * weight, the shares, the minor-unit allocation (floors, then remainders) and, when given,
 * each commission line's arithmetic. Every fact cites the `eventId` and `position` it came
 * from. Returns null when the opportunity is unknown as of the model's cut-off.
 *
 * @example
 * const e = explainOpportunity(buildModel(events, { asOf: '2026-03-01T00:00:00Z' }), 'O-1');
 * e?.registrations[0]?.outcome // 'sourced'
 */
export function explainOpportunity(
  model: LedgerModel,
  opportunityId: string,
  options: ExplainOptions = {},
): OpportunityExplanation | null {
  const a = computeAttribution(model).get(opportunityId);
  if (!a) return null;
  const x = a.explanation;
  const s = a.state;
  return {
    libraryVersion: options.libraryVersion ?? LIBRARY_VERSION,
    opportunityId,
    asOf: iso(model.asOf),
    knownAt: model.knownAt === null ? null : iso(model.knownAt),
    status: a.status,
    value: a.value,
    opened: { at: iso(s.openedAt), ...refOf(s.opened) },
    close: s.close ? { at: iso(s.close.at), type: s.close.event.type, ...refOf(s.close) } : null,
    ruleVersion: x.ruleVersion,
    credits: a.credits,
    rules: {
      version: x.ruleVersion,
      source: x.ruleSource,
      origin: model.callerRules ? 'given' : x.ruleSource ? 'published' : 'defaults',
      model: x.model,
      protectionDays: x.protectionDays,
      lookbackDays: x.lookbackDays,
      halfLifeDays: x.halfLifeDays,
      sourcedShare: x.sourcedShare,
    },
    evaluatedAt: iso(x.evaluatedAt),
    conflict: a.conflict,
    disputed: a.disputed,
    registrations: x.registrations.map((r) => ({
      referralId: r.referralId,
      partnerId: r.partnerId,
      submittedAt: iso(r.submittedAt),
      window: { from: iso(r.windowFrom), to: iso(r.windowTo) },
      matchedOn: r.matchedOn,
      candidate: r.candidate,
      outcome: r.outcome,
      reason: r.reason,
      ...r.source,
    })),
    touches: x.touches.map((t) => ({
      partyId: t.partyId,
      kind: t.kind,
      at: iso(t.at),
      origin: t.origin,
      activity: t.activity,
      counted: t.counted,
      excludedBecause: t.excludedBecause,
      weight: t.weight,
      ...t.source,
    })),
    computedShares: x.computedShares,
    disputes: x.disputes.map((d) => ({
      disputeId: d.disputeId,
      claimantPartnerId: d.claimantPartnerId,
      status: d.status,
      openedAt: iso(d.openedAt),
      resolvedAt: d.resolvedAt === null ? null : iso(d.resolvedAt),
      applied: d.applied,
      ...d.source,
      resolution: d.resolution,
    })),
    allocation: allocationOf(a),
    commission:
      options.commission === undefined ? explainCommission(model, opportunityId) : options.commission,
  };
}

function cite(r: EventRef): string {
  return `[event ${r.eventId} @${r.position}]`;
}

/**
 * The explanation as text for a person: one section per step, each fact with its
 * `[event <id> @<position>]` citation.
 */
export function explanationText(e: OpportunityExplanation): string {
  const money = (n: number) => formatAmount(n, e.value.currency);
  const out: string[] = [];
  out.push(`Opportunity ${e.opportunityId}: ${e.status}, value ${money(e.value.amount)}`);
  out.push(
    `  as of ${e.asOf}${e.knownAt ? `, known at ${e.knownAt}` : ''}; referral-ledger ${e.libraryVersion}`,
  );
  out.push(`  opened ${e.opened.at} ${cite(e.opened)}`);
  if (e.close)
    out.push(`  ${e.close.type === 'OpportunityWon' ? 'won' : 'lost'} ${e.close.at} ${cite(e.close)}`);
  const r = e.rules;
  out.push('');
  out.push(
    `Rules ${r.version} (${r.origin === 'given' ? 'given by the caller' : r.origin === 'defaults' ? 'defaults' : `published ${cite(r.source!)}`}), in force at ${e.evaluatedAt}`,
  );
  out.push(
    `  model ${r.model}; protection ${r.protectionDays} days; lookback ${r.lookbackDays} days; half-life ${r.halfLifeDays} days; sourced share ${r.sourcedShare}`,
  );
  out.push('');
  out.push('Registrations');
  if (e.registrations.length === 0) out.push('  (none matched this opportunity)');
  for (const g of e.registrations) {
    out.push(
      `  ${g.referralId} by ${g.partnerId}, submitted ${g.submittedAt}, window [${g.window.from}, ${g.window.to}), matched on ${g.matchedOn.join('+')} ${cite(g)}`,
    );
    out.push(`    → ${g.outcome}: ${g.reason}`);
  }
  if (e.conflict)
    out.push('  CONFLICT: partners registered at the same instant; review the sourced partner.');
  out.push('');
  out.push(`Touches (evaluated at ${e.evaluatedAt})`);
  if (e.touches.length === 0) out.push('  (none)');
  for (const t of e.touches) {
    const what = t.origin === 'registration' ? 'registration' : `${t.kind} ${t.activity ?? ''}`.trim();
    const verdict = t.counted ? `weight ${round(t.weight)}` : `not counted (${t.excludedBecause})`;
    out.push(`  ${t.at} ${t.partyId} ${what}: ${verdict} ${cite(t)}`);
  }
  out.push('');
  out.push(`Shares computed by ${r.model}`);
  for (const s of e.computedShares) out.push(`  ${s.partyId}: ${round(s.share)}`);
  for (const d of e.disputes) {
    out.push(
      `  dispute ${d.disputeId} by ${d.claimantPartnerId}, ${d.status}${d.applied ? ' — its credits replace the computed shares' : ''} ${cite(d)}${d.resolution ? ` resolved ${cite(d.resolution)}` : ''}`,
    );
  }
  if (e.disputed) out.push('  DISPUTED: an open dispute holds this deal; its commissions are not payable.');
  out.push('');
  out.push('Credits');
  for (const c of e.credits)
    out.push(`  ${c.partyId} ${c.kind}: share ${round(c.share)}, ${money(c.amount)}`);
  const al = e.allocation;
  out.push('');
  out.push(
    `Allocation of ${money(al.amount)} (largest remainder): floors sum to ${money(al.floorTotal)}, ${al.remainderUnits} unit(s) to the largest remainders`,
  );
  for (const l of al.lines)
    out.push(
      `  ${l.partyId} (${l.kind}): ${round(l.share)} × ${al.amount} = ${round(l.exact)} → floor ${l.floor}, remainder ${l.remainder}${l.extra ? `, +${l.extra}` : ''} = ${money(l.amount)}`,
    );
  if (e.commission) {
    out.push('');
    out.push('Commission');
    if (e.commission.length === 0) out.push('  (no commission lines)');
    for (const c of e.commission) {
      out.push(
        `  ${c.partnerId} ${c.kind} ${c.schedule}${c.period ? ` year ${c.period}` : ''}, tier ${c.tier}: ${formatAmount(c.commission, c.currency)}${c.clawedBack ? `, clawed back ${formatAmount(c.clawedBack, c.currency)}` : ''}${c.eligible ? '' : ` (not eligible: ${c.reason})`}`,
      );
      for (const step of c.steps) out.push(`    ${step}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(9).replace(/0+$/, '');
}
