import {
  type CommissionResult,
  computeAttribution,
  computeCommission,
  type LedgerModel,
  type OpportunityAttribution,
} from '@referral-ledger/projections';

/**
 * The attribution and commission figures the review queue (conflicts, lines waiting for
 * approval) and the KPIs (each deal's sourced party) build on, computed from the same model.
 */
export function upstreamFor(model: LedgerModel): {
  attribution: Map<string, OpportunityAttribution>;
  commission: CommissionResult;
} {
  const attribution = computeAttribution(model);
  return { attribution, commission: computeCommission(model, attribution, { explain: false }) };
}
