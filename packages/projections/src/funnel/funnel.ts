import type { LedgerModel } from '../model.ts';
import { sortedReferrals } from '../sla/sla.ts';
import { convertedDeal } from '../referrals/status.ts';

/** The referral funnel (SPEC §7, §9 `funnel`): how many referrals reached each stage. */
export interface FunnelStages {
  readonly submitted: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicated: number;
  readonly contacted: number;
  readonly qualified: number;
  readonly converted: number;
  readonly won: number;
  readonly lost: number;
}

/**
 * Count referrals by the furthest stage they reached, as of the model's T. The main path
 * submitted → accepted → contacted → qualified → converted → won | lost is counted with
 * reached-that-stage semantics: a referral counts in its furthest stage and in every stage
 * before it (a referral converted without a recorded contact still counts as contacted), so
 * the path never widens. `won` / `lost` are the current outcome of the converted deal.
 * `rejected` and `duplicated` are side counts: referrals with a rejection, and referrals
 * flagged as duplicates, whatever happened next. `submitted` counts every referral.
 *
 * @example
 * computeFunnel(model).stages // { submitted: 10, accepted: 7, ..., won: 2, lost: 1 }
 */
export function computeFunnel(
  model: LedgerModel,
  options: { partnerId?: string | undefined } = {},
): { stages: FunnelStages } {
  const c = {
    submitted: 0,
    accepted: 0,
    rejected: 0,
    duplicated: 0,
    contacted: 0,
    qualified: 0,
    converted: 0,
    won: 0,
    lost: 0,
  };
  for (const r of sortedReferrals(model)) {
    if (options.partnerId !== undefined && r.partnerId !== options.partnerId) continue;
    c.submitted++;
    if (r.rejected) c.rejected++;
    if (r.duplicates.length > 0) c.duplicated++;
    const deal = convertedDeal(model, r);
    const outcome = deal && deal.status !== 'open' ? deal.status : null;
    // depth along the main path: 0 submitted, 1 accepted, 2 contacted, 3 qualified, 4 converted, 5 decided
    const depth = outcome ? 5 : r.converted ? 4 : r.qualified ? 3 : r.contacted ? 2 : r.accepted ? 1 : 0;
    if (depth >= 1) c.accepted++;
    if (depth >= 2) c.contacted++;
    if (depth >= 3) c.qualified++;
    if (depth >= 4) c.converted++;
    if (outcome === 'won') c.won++;
    if (outcome === 'lost') c.lost++;
  }
  return { stages: c };
}
