import { type OpenedStore, openStore } from '@referral-ledger/adapters';
import {
  CommandRefusedError,
  createLedger,
  type EventStore,
  type Ledger,
  readAllEvents,
} from '@referral-ledger/core';
import {
  advocateBlocked,
  computeAttribution,
  computeCommission,
  LedgerModel,
  type PartnerCommission,
  pendingApprovals,
  storePayable,
} from '@referral-ledger/projections';

/**
 * What the operating commands (`approve`, `payouts schedule`, `rules publish`) share: the
 * store, a ledger facade over it with the commission projection's payable policy, and a
 * replay of the store as of a time.
 */
export interface Operation {
  readonly store: OpenedStore;
  readonly ledger: Ledger;
  close(): Promise<void>;
}

/** Open `--store` and a ledger over it whose payouts are checked against what is payable. */
export async function openOperation(target: string | undefined): Promise<Operation> {
  const store = await openStore(target);
  return { store, ledger: openLedger(store), close: () => store.close() };
}

/** Replay a whole store into a finished model as of `asOf`. */
export async function replayStore(store: EventStore, asOf: string | number): Promise<LedgerModel> {
  const model = new LedgerModel({ asOf });
  for await (const e of readAllEvents(store, { pageSize: 10_000 })) model.apply(e);
  return model.finish();
}

/** Replay the store as of `at` and compute commission (no explanation text). */
export async function commissionAt(store: OpenedStore, at: string) {
  const model = await replayStore(store, at);
  const attribution = computeAttribution(model);
  return { model, attribution, commission: computeCommission(model, attribution, { explain: false }) };
}

/** The ledger secret of a store opened with the privacy layer, else `REFERRAL_LEDGER_SECRET`. */
function secretOf(store: EventStore): string | undefined {
  return (store as { privacy?: { secret: string } }).privacy?.secret ?? process.env.REFERRAL_LEDGER_SECRET;
}

/**
 * The facade over a store with the policies that need projection logic wired in: payouts
 * are checked against what is payable (minus what is already scheduled), and referral
 * requests against the customer's blocked reasons, both replayed at the command's time.
 */
export function openLedger(store: EventStore, clock?: () => Date): Ledger {
  return createLedger({
    store,
    ...(clock ? { clock } : {}),
    // The privacy layer's secret, so guard keys and subject ids match its match keys (SPEC §10).
    ...(secretOf(store) ? { secret: secretOf(store) } : {}),
    policies: {
      payable: storePayable(store),
      advocateBlocked: async (partnerId, at) =>
        advocateBlocked(await replayStore(store, at), partnerId, Date.parse(at)),
    },
  });
}

/**
 * Split a partner's payout over the opportunities it pays for: what each approved (and
 * adjusted) deal still owes, oldest approval first, after what earlier payouts that did
 * not fail already covered. Whatever is payable but not traceable to one deal (netting
 * after a clawback) rides on the last line, so the lines always sum to `amount`.
 */
export function payoutLines(
  model: LedgerModel,
  p: PartnerCommission,
  amount: number,
): { opportunityId: string; amount: number }[] {
  const covered = new Map<string, number>();
  for (const rec of model.payouts.values()) {
    const s = rec.scheduled?.event.data;
    if (!s || s.partnerId !== p.partnerId) continue;
    if (rec.facts.some((f) => f.event.type === 'PayoutFailed' || f.event.type === 'PayoutReversed')) continue;
    for (const l of s.lines)
      covered.set(l.opportunityId, (covered.get(l.opportunityId) ?? 0) + l.amount.amount);
  }
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
  if (left > 0 && lines.length > 0) lines[lines.length - 1]!.amount += left;
  return lines;
}

/** Approve every pending (opportunity, partner) amount through the facade; returns what was approved. */
export async function approveAll(
  ledger: Ledger,
  model: LedgerModel,
  options: { partner?: string | undefined; by: string; at: string },
): Promise<{ partnerId: string; opportunityId: string; amount: number; currency: string }[]> {
  const commission = computeCommission(model, computeAttribution(model), { explain: false });
  const due = pendingApprovals(commission).filter(
    (p) => options.partner === undefined || p.partnerId === options.partner,
  );
  for (const p of due) {
    await ledger.handle({
      type: 'ApproveCommission',
      data: {
        opportunityId: p.opportunityId,
        partnerId: p.partnerId,
        amount: { amount: p.unapproved, currency: p.currency },
        approvedBy: options.by,
      },
      metadata: { occurredAt: options.at, actor: { kind: 'user', id: options.by } },
    });
  }
  return due.map((p) => ({
    partnerId: p.partnerId,
    opportunityId: p.opportunityId,
    amount: p.unapproved,
    currency: p.currency,
  }));
}

/** Schedule what is payable to each partner through the facade; a refused payout is reported, not retried. */
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
  scheduled: { payoutId: string; partnerId: string; amount: number; currency: string }[];
  refused: { partnerId: string; reason: string }[];
}> {
  const commission = computeCommission(model, computeAttribution(model), { explain: false });
  const scheduled: { payoutId: string; partnerId: string; amount: number; currency: string }[] = [];
  const refused: { partnerId: string; reason: string }[] = [];
  for (const p of commission.partners) {
    if (options.partner !== undefined && p.partnerId !== options.partner) continue;
    const amount = p.payable - p.scheduled;
    if (amount <= 0) continue;
    const payoutId = options.newId();
    const lines = payoutLines(model, p, amount).map((l) => ({
      opportunityId: l.opportunityId,
      amount: { amount: l.amount, currency: p.currency },
    }));
    try {
      await ledger.handle({
        type: 'SchedulePayout',
        data: {
          payoutId,
          partnerId: p.partnerId,
          amount: { amount, currency: p.currency },
          lines,
          provider: options.provider,
        },
        metadata: { occurredAt: options.at, actor: { kind: 'system', id: 'payouts' } },
      });
      scheduled.push({ payoutId, partnerId: p.partnerId, amount, currency: p.currency });
    } catch (e) {
      if (e instanceof CommandRefusedError) refused.push({ partnerId: p.partnerId, reason: e.message });
      else throw e;
    }
  }
  return { scheduled, refused };
}
