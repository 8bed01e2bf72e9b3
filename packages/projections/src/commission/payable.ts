import { computeAttribution } from '../attribution/compute.ts';
import type { LedgerModel } from '../model.ts';
import { computeCommission } from './engine.ts';
import type { CommissionAttribution } from './types.ts';

/** What a `SchedulePayout` decider asks before it lets a payout through (SPEC §3.2, §6.1). */
export interface PayablePolicy {
  /**
   * What may still be scheduled for `partnerId` in `currency` at `at` (epoch ms or ISO):
   * payable as of `at` (approved, past hold, not disputed, minus paid) minus payouts
   * already scheduled and not yet sent, so two schedules cannot together overpay. 0 for a
   * currency other than the partner's payout currency or an unknown partner.
   */
  payable(partnerId: string, currency: string, at: number | string | Date): number;
}

/**
 * A payable policy over a replayed model and its attribution (computed from the model when
 * not given), for the facade's `policies.payable`. Results are cached per evaluation time.
 *
 * @example
 * const policy = payablePolicy(buildModel(await store.readAll(), { asOf: now }));
 * policy.payable('P-1', 'USD', '2026-04-01T00:00:00Z') // 1800000
 */
export function payablePolicy(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution> = computeAttribution(model),
): PayablePolicy {
  const cache = new Map<number, ReturnType<typeof computeCommission>>();
  return {
    payable(partnerId, currency, at) {
      const t = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
      let result = cache.get(t);
      if (!result) {
        result = computeCommission(model, attribution, { at: t, explain: false });
        cache.set(t, result);
      }
      const p = result.partners.find((x) => x.partnerId === partnerId);
      if (!p || p.currency !== currency) return 0;
      return p.payable - p.scheduled;
    },
  };
}
