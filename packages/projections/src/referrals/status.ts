import type { LedgerModel } from '../model.ts';
import { type OpportunityState, opportunityState, type ReferralState } from '../state.ts';

/** A referral's status in the views (SPEC §9): its own lifecycle, then its converted deal's outcome. */
export type ReferralViewStatus =
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'withdrawn'
  | 'contacted'
  | 'qualified'
  | 'converted'
  | 'won'
  | 'lost';

/** The opportunity a referral was converted to, folded; null when none (as of the cut-off). */
export function convertedDeal(model: LedgerModel, r: ReferralState): OpportunityState | null {
  if (!r.converted) return null;
  const rec = model.opportunities.get(r.converted.event.data.opportunityId);
  return rec ? model.derived(opportunityState, rec) : null;
}

/**
 * The status the views show: `won` / `lost` once the converted deal is decided, else the
 * referral's own status (withdrawn and rejected win over the rest).
 *
 * @example
 * referralViewStatus(r, deal) // 'won' when r was converted to a deal that was won
 */
export function referralViewStatus(r: ReferralState, deal: OpportunityState | null): ReferralViewStatus {
  if (r.status === 'converted' && deal && deal.status !== 'open') return deal.status;
  return r.status;
}
