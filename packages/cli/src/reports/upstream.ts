import {
  type ApprovalForReview,
  computeAttribution,
  computeCommission,
  type LedgerModel,
  type OpportunityAttribution,
  pendingApprovals,
} from '@referral-ledger/projections';

/**
 * The attribution and commission figures the review queue builds on (conflicts, and the
 * pairs waiting for approval — the same list `approve` works through), from the same model.
 */
export function upstreamFor(model: LedgerModel): {
  attribution: Map<string, OpportunityAttribution>;
  approvals: ApprovalForReview[];
} {
  const attribution = computeAttribution(model);
  return {
    attribution,
    approvals: pendingApprovals(computeCommission(model, attribution, { explain: false })),
  };
}
