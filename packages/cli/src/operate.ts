import { type OpenedStore, openStore } from '@referral-ledger/adapters';
import { createLedger, type Ledger, readAllEvents } from '@referral-ledger/core';
import {
  computeAttribution,
  computeCommission,
  LedgerModel,
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
  const ledger = createLedger({ store, policies: { payable: storePayable(store) } });
  return { store, ledger, close: () => store.close() };
}

/** Replay the store as of `at` and compute commission (no explanation text). */
export async function commissionAt(store: OpenedStore, at: string) {
  const model = new LedgerModel({ asOf: at });
  for await (const e of readAllEvents(store, { pageSize: 10_000 })) model.apply(e);
  model.finish();
  const attribution = computeAttribution(model);
  return { model, attribution, commission: computeCommission(model, attribution, { explain: false }) };
}
