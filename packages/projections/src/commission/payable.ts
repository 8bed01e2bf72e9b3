import { computeAttribution } from '../attribution/compute.ts';
import { type EventStore, readAllEvents } from '@referral-ledger/core';
import { LedgerModel } from '../model.ts';
import { computeCommission } from './engine.ts';
import type { CommissionAttribution } from './types.ts';

/** What a `SchedulePayout` decider asks before it lets a payout through (SPEC §3.2, §6.1). */
export interface PayablePolicy {
  /**
   * What may still be scheduled for `partnerId` in `currency` at `at` (epoch ms or ISO),
   * SPEC §6.1: payable (approved, past hold, not disputed, minus paid) less payouts
   * scheduled and not yet sent, so two schedules cannot together overpay. This is what the
   * ledger facade's `payable` policy answers. 0 for a currency other than the partner's
   * payout currency or an unknown partner.
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

/**
 * The facade's `payable` policy over a store: replays the store as of `at` and answers
 * `payable` (SPEC §6.1). Plug it into the ledger's policies:
 *
 * @example
 * const ledger = createLedger({ store, policies: { payable: storePayable(store) } });
 */
export function storePayable(
  store: Pick<EventStore, 'readAll'>,
): (partnerId: string, currency: string, at: string) => Promise<number> {
  return async (partnerId, currency, at) => {
    const model = new LedgerModel({ asOf: at });
    for await (const e of readAllEvents(store, { pageSize: 10_000 })) model.apply(e);
    model.finish();
    return payablePolicy(model).payable(partnerId, currency, at);
  };
}
