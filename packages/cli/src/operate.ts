import {
  CommandRefusedError,
  createLedger,
  type EventStore,
  type Ledger,
  type RecordedEvent,
  readAllEvents,
} from '@referral-ledger/core';
import {
  advocateBlocked,
  computeAttribution,
  computeCommission,
  LedgerModel,
  payablePolicy,
} from '@referral-ledger/projections';

/** Replay a whole store into a finished model as of `asOf`. */
export async function replayStore(store: EventStore, asOf: string | number): Promise<LedgerModel> {
  const model = new LedgerModel({ asOf });
  for await (const e of readAllEvents(store, { pageSize: 10_000 })) model.apply(e as RecordedEvent);
  return model.finish();
}

/**
 * The facade over a store with the policies that need projection logic wired in: payouts
 * are checked against what is payable (minus what is already scheduled), and referral
 * requests against the customer's blocked reasons — both replayed from the store at the
 * command's business time.
 */
export function openLedger(store: EventStore, clock?: () => Date): Ledger {
  return createLedger({
    store,
    ...(clock ? { clock } : {}),
    ...(process.env.REFERRAL_LEDGER_SECRET ? { secret: process.env.REFERRAL_LEDGER_SECRET } : {}),
    policies: {
      payable: async (partnerId, currency, at) =>
        payablePolicy(await replayStore(store, at)).payable(partnerId, currency, at),
      advocateBlocked: async (partnerId, at) =>
        advocateBlocked(await replayStore(store, at), partnerId, Date.parse(at)),
    },
  });
}

export interface ApprovalPlan {
  readonly partnerId: string;
  readonly opportunityId: string;
  readonly amount: number;
  readonly currency: string;
}

/**
 * What `approve` would approve at the model's as-of time: per (opportunity, partner), the
 * eligible lines' payout amounts (net of clawbacks, in the partner's payout currency) less
 * what was already approved. Only positive remainders; nothing for ineligible lines.
 */
export function planApprovals(model: LedgerModel, partner?: string): ApprovalPlan[] {
  const result = computeCommission(model, computeAttribution(model), { explain: false });
  const out: ApprovalPlan[] = [];
  for (const p of result.partners) {
    if (partner && p.partnerId !== partner) continue;
    const eligible = new Map<string, number>();
    for (const l of p.lines)
      if (l.eligible) eligible.set(l.opportunityId, (eligible.get(l.opportunityId) ?? 0) + l.payoutAmount);
    const approved = new Map<string, number>();
    for (const a of p.approvals)
      if (a.opportunityId) approved.set(a.opportunityId, (approved.get(a.opportunityId) ?? 0) + a.amount);
    for (const [opportunityId, amount] of [...eligible].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const rest = amount - (approved.get(opportunityId) ?? 0);
      if (rest > 0) out.push({ partnerId: p.partnerId, opportunityId, amount: rest, currency: p.currency });
    }
  }
  return out;
}

export interface PayoutPlan {
  readonly partnerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly lines: readonly { opportunityId: string; amount: number }[];
}

/**
 * What `payouts schedule` would schedule at the model's as-of time: for each partner, what
 * is payable (approved, past hold, not disputed, minus paid and already scheduled), split
 * over its approved opportunities oldest approval first.
 */
export function planPayouts(model: LedgerModel, partner?: string): PayoutPlan[] {
  const result = computeCommission(model, computeAttribution(model), { explain: false });
  const out: PayoutPlan[] = [];
  for (const p of result.partners) {
    if (partner && p.partnerId !== partner) continue;
    const amount = p.payable - p.scheduled;
    if (amount <= 0) continue;
    const covered = new Map<string, number>();
    for (const rec of model.payouts.values()) {
      const s = rec.scheduled?.event.data;
      if (!s || s.partnerId !== p.partnerId) continue;
      const failed = rec.facts.some(
        (f) => f.event.type === 'PayoutFailed' || f.event.type === 'PayoutReversed',
      );
      if (failed) continue;
      for (const l of s.lines)
        covered.set(l.opportunityId, (covered.get(l.opportunityId) ?? 0) + l.amount.amount);
    }
    // Approved (and adjusted) per opportunity, in order of the first approval.
    const owed = new Map<string, number>();
    for (const a of [...p.approvals, ...p.adjustments].sort(
      (x, y) => x.atMs - y.atMs || x.position - y.position,
    )) {
      if (a.opportunityId) owed.set(a.opportunityId, (owed.get(a.opportunityId) ?? 0) + a.amount);
    }
    const lines: { opportunityId: string; amount: number }[] = [];
    let left = amount;
    for (const [opportunityId, total] of owed) {
      const open = total - (covered.get(opportunityId) ?? 0);
      if (left <= 0 || open <= 0) continue;
      const take = Math.min(open, left);
      lines.push({ opportunityId, amount: take });
      left -= take;
    }
    // What is payable but not traceable to one deal (rounding, netting) rides on the last line.
    if (left > 0 && lines.length > 0) lines[lines.length - 1]!.amount += left;
    else if (left > 0) continue;
    out.push({ partnerId: p.partnerId, amount, currency: p.currency, lines });
  }
  return out;
}

/** Run `approve` through the facade; returns what was approved. */
export async function approveAll(
  ledger: Ledger,
  model: LedgerModel,
  options: { partner?: string | undefined; by: string; at: string },
): Promise<ApprovalPlan[]> {
  const plans = planApprovals(model, options.partner);
  for (const a of plans) {
    await ledger.handle({
      type: 'ApproveCommission',
      data: {
        opportunityId: a.opportunityId,
        partnerId: a.partnerId,
        amount: { amount: a.amount, currency: a.currency },
        approvedBy: options.by,
      },
      metadata: { occurredAt: options.at, actor: { kind: 'user', id: options.by } },
    } as never);
  }
  return plans;
}

/** Run `payouts schedule` through the facade; a payout the decider refuses is reported, not retried. */
export async function scheduleAll(
  ledger: Ledger,
  model: LedgerModel,
  options: {
    partner?: string | undefined;
    provider: 'stripe' | 'paypal' | 'wise' | 'manual';
    at: string;
    newId: () => string;
  },
): Promise<{
  scheduled: (PayoutPlan & { payoutId: string })[];
  refused: { partnerId: string; reason: string }[];
}> {
  const scheduled: (PayoutPlan & { payoutId: string })[] = [];
  const refused: { partnerId: string; reason: string }[] = [];
  for (const p of planPayouts(model, options.partner)) {
    const payoutId = options.newId();
    try {
      await ledger.handle({
        type: 'SchedulePayout',
        data: {
          payoutId,
          partnerId: p.partnerId,
          amount: { amount: p.amount, currency: p.currency },
          lines: p.lines.map((l) => ({
            opportunityId: l.opportunityId,
            amount: { amount: l.amount, currency: p.currency },
          })),
          provider: options.provider,
        },
        metadata: { occurredAt: options.at, actor: { kind: 'system', id: 'payouts' } },
      } as never);
      scheduled.push({ ...p, payoutId });
    } catch (e) {
      if (e instanceof CommandRefusedError) refused.push({ partnerId: p.partnerId, reason: e.message });
      else throw e;
    }
  }
  return { scheduled, refused };
}
