import { isoUtc } from '../sla/iso.ts';
import type { LedgerModel } from '../model.ts';
import { sortedReferrals } from '../sla/sla.ts';
import { opportunityState } from '../state.ts';
import { HOUR } from '../time.ts';

export type ReviewKind =
  | 'flagged-referral'
  | 'duplicate-referral'
  | 'conflict'
  | 'dispute'
  | 'commission-approval';

/** One thing waiting for a partner manager (SPEC §6.5, §9 `reviews`). */
export interface ReviewItem {
  readonly kind: ReviewKind;
  /** The referral, opportunity or dispute id. */
  readonly id: string;
  /** Since when it waits (ISO). */
  readonly since: string;
  /** Whole hours (rounded down) from `since` to T. */
  readonly ageHours: number;
  /** The partners it concerns (for the partner-scoped view). */
  readonly partnerIds: readonly string[];
  readonly detail: string;
}

/** What the review queue needs of the attribution view, per opportunity id. */
export interface AttributionForReview {
  readonly conflict: boolean;
  readonly credits?: readonly { readonly partyId: string }[];
  /** The registrations behind the credits: the tied partners of a conflict (`sourced`, `tie-lost`). */
  readonly explanation?: {
    readonly registrations: readonly { readonly partnerId: string; readonly outcome: string }[];
  };
}

/**
 * What the review queue needs of the commission view: `pendingApprovals(computeCommission(...))`,
 * the (opportunity, partner) pairs with an earned, unapproved amount — the same work list
 * `approve` clears.
 */
export interface ApprovalForReview {
  readonly partnerId: string;
  readonly opportunityId: string;
  /** The earliest accrual of the pair's eligible lines (epoch ms). */
  readonly since: number;
}

export interface ReviewInputs {
  /** `computeAttribution(model)`: conflicts. */
  readonly attribution: ReadonlyMap<string, AttributionForReview>;
  /** `pendingApprovals(computeCommission(model, attribution))`: pairs waiting for approval. */
  readonly approvals: readonly ApprovalForReview[];
}

/**
 * The review queue as of T, oldest first (ties: kind, then id):
 * - `flagged-referral` / `duplicate-referral`: an undecided (neither accepted, rejected nor
 *   withdrawn) referral with a quality flag / a duplicate flag, since the first such flag
 *   (a referral with both appears once for each);
 * - `conflict`: an opportunity whose sourced partner is contested by a tie (SPEC §5), since it
 *   opened, until a dispute resolution (upheld or split) settles its credits;
 * - `dispute`: an `AttributionDisputed` not yet resolved, since it was opened;
 * - `commission-approval`: a won opportunity with an earned amount not yet approved for
 *   some partner (the pairs `approve` would approve; disputed pairs wait as disputes), one
 *   item per opportunity, since the earliest accrual of those pairs' lines.
 * With `partnerId`, only the items that concern that partner, naming no other partner.
 *
 * @example
 * computeReviews(model, { attribution, approvals: pendingApprovals(commission) })[0] // the oldest item
 */
export function computeReviews(
  model: LedgerModel,
  inputs: ReviewInputs,
  options: { partnerId?: string | undefined } = {},
): ReviewItem[] {
  const t = model.asOf;
  const raw: { kind: ReviewKind; id: string; at: number; partnerIds: string[]; detail: string }[] = [];

  for (const r of sortedReferrals(model)) {
    if (r.accepted || r.rejected || r.withdrawn) continue;
    const flag = r.flags[0];
    if (flag)
      raw.push({
        kind: 'flagged-referral',
        id: r.referralId,
        at: flag.at,
        partnerIds: [r.partnerId],
        detail: [...new Set(r.flags.map((f) => f.event.data.flag))].join(', '),
      });
    const dup = r.duplicates[0];
    if (dup)
      raw.push({
        kind: 'duplicate-referral',
        id: r.referralId,
        at: dup.at,
        partnerIds: [r.partnerId],
        detail: `duplicate of ${dup.event.data.duplicateOf.kind} ${dup.event.data.duplicateOf.id} (${dup.event.data.matchedOn})`,
      });
  }

  // A conflict is settled by a dispute resolution that replaces the deal's credits.
  const settled = new Set<string>();
  for (const d of model.disputes.values())
    for (const f of d.facts)
      if (f.event.type === 'DisputeResolved' && f.event.data.decision !== 'rejected')
        settled.add(f.event.data.opportunityId);
  for (const [opportunityId, a] of inputs.attribution) {
    if (!a.conflict || settled.has(opportunityId)) continue;
    const rec = model.opportunities.get(opportunityId);
    const o = rec ? model.derived(opportunityState, rec) : null;
    if (!o) continue;
    const tied = (a.explanation?.registrations ?? [])
      .filter((r) => r.outcome === 'sourced' || r.outcome === 'tie-lost')
      .map((r) => r.partnerId);
    const partnerIds = [...new Set(tied.length > 0 ? tied : (a.credits ?? []).map((c) => c.partyId))].sort();
    raw.push({
      kind: 'conflict',
      id: opportunityId,
      at: o.openedAt,
      partnerIds,
      detail: 'candidates of different partners registered at the same time',
    });
  }

  for (const d of model.disputes.values()) {
    const opened = d.facts.find((f) => f.event.type === 'AttributionDisputed');
    if (opened?.event.type !== 'AttributionDisputed') continue;
    if (d.facts.some((f) => f.event.type === 'DisputeResolved')) continue;
    raw.push({
      kind: 'dispute',
      id: d.disputeId,
      at: opened.at,
      partnerIds: [opened.event.data.claimantPartnerId],
      detail: `claim on ${opened.event.data.opportunityId}`,
    });
  }

  const waiting = new Map<string, { partners: Set<string>; since: number }>();
  for (const x of inputs.approvals) {
    const w = waiting.get(x.opportunityId) ?? { partners: new Set<string>(), since: x.since };
    w.partners.add(x.partnerId);
    w.since = Math.min(w.since, x.since);
    waiting.set(x.opportunityId, w);
  }
  for (const [opportunityId, w] of waiting) {
    const rec = model.opportunities.get(opportunityId);
    const o = rec ? model.derived(opportunityState, rec) : null;
    if (o?.status !== 'won' || o.closedAt === null) continue;
    const ids = [...w.partners].sort();
    const at = Number.isFinite(w.since) ? w.since : o.closedAt;
    raw.push({
      kind: 'commission-approval',
      id: opportunityId,
      at,
      partnerIds: ids,
      detail: `unapproved lines of ${ids.join(', ')}`,
    });
  }

  return raw
    .filter((x) => options.partnerId === undefined || x.partnerIds.includes(options.partnerId))
    .sort(
      (a, b) =>
        a.at - b.at ||
        (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((x) => ({
      kind: x.kind,
      id: x.id,
      since: isoUtc(x.at),
      ageHours: Math.floor(Math.max(0, t - x.at) / HOUR),
      // the partner-scoped view names no other partner
      partnerIds: options.partnerId === undefined ? x.partnerIds : [options.partnerId],
      detail:
        options.partnerId !== undefined && x.kind === 'commission-approval'
          ? `unapproved lines of ${options.partnerId}`
          : x.detail,
    }));
}
