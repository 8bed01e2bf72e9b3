import type { CommissionResult } from './types.ts';

/** What is earned on one (opportunity, partner) pair and not yet approved. */
export interface PendingApproval {
  readonly partnerId: string;
  readonly opportunityId: string;
  /** The partner's payout currency. */
  readonly currency: string;
  /** Σ line `payoutAmount` (net of clawbacks) plus adjustments on the pair. */
  readonly earned: number;
  /** Σ `CommissionApproved` on the pair. */
  readonly approved: number;
  /** earned − approved: what `approve` would approve. */
  readonly unapproved: number;
  /** The earliest accrual of the pair's eligible lines (epoch ms): how long it has waited. */
  readonly since: number;
}

/**
 * Every (opportunity, partner) pair with a positive unapproved amount: the work list of
 * `approve` (SPEC §9, "approves every eligible, unapproved amount") and the
 * `commission-approval` items of the review queue. Disputed pairs are left out: they are
 * not payable while disputed. Sorted oldest first, then by partner and opportunity.
 *
 * @example pendingApprovals(computeCommission(model, attribution)).map((p) => p.unapproved)
 */
export function pendingApprovals(result: CommissionResult): PendingApproval[] {
  const out: PendingApproval[] = [];
  for (const p of result.partners) {
    const pairs = new Map<string, { earned: number; approved: number; since: number; disputed: boolean }>();
    const pair = (opp: string) => {
      let x = pairs.get(opp);
      if (!x) {
        x = { earned: 0, approved: 0, since: Number.POSITIVE_INFINITY, disputed: false };
        pairs.set(opp, x);
      }
      return x;
    };
    for (const l of p.lines) {
      if (!l.eligible) continue;
      const x = pair(l.opportunityId);
      x.earned += l.payoutAmount;
      if (l.accruesAtMs < x.since) x.since = l.accruesAtMs;
      if (l.disputed) x.disputed = true;
    }
    for (const a of p.adjustments) if (a.opportunityId !== null) pair(a.opportunityId).earned += a.amount;
    for (const a of p.approvals) if (a.opportunityId !== null) pair(a.opportunityId).approved += a.amount;
    for (const [opportunityId, x] of pairs) {
      const unapproved = x.earned - x.approved;
      if (unapproved <= 0 || x.disputed || !Number.isFinite(x.since)) continue;
      out.push({
        partnerId: p.partnerId,
        opportunityId,
        currency: p.currency,
        earned: x.earned,
        approved: x.approved,
        unapproved,
        since: x.since,
      });
    }
  }
  return out.sort(
    (a, b) =>
      a.since - b.since ||
      (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0) ||
      (a.opportunityId < b.opportunityId ? -1 : a.opportunityId > b.opportunityId ? 1 : 0),
  );
}
