import type {
  AttributionForKpis,
  AttributionForReview,
  CommissionForReview,
  LedgerModel,
} from '@referral-ledger/projections';

/**
 * The attribution and commission figures the review queue and the KPIs build on.
 * PENDING: until the attribution and commission views land on main, no opportunity has a
 * known sourced party or conflict and no commission line waits for approval, so `reviews`
 * lists referrals and disputes only and the KPIs that need a sourced party read null / 0.
 */
export function upstreamFor(_model: LedgerModel): {
  attribution: ReadonlyMap<string, AttributionForReview & AttributionForKpis>;
  commission: CommissionForReview;
} {
  return { attribution: new Map(), commission: { partners: [] } };
}
