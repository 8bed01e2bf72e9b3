import { createLedger, type EventStore, type Ledger, readAllEvents } from '@referral-ledger/core';
import { advocateBlocked, buildModel, type LedgerModel, payablePolicy } from '@referral-ledger/projections';

/** Replay the whole store as of `at` (ISO), as the policies and the commission verbs need it. */
export async function modelAt(store: EventStore, at: string): Promise<LedgerModel> {
  const events = [];
  for await (const e of readAllEvents(store)) events.push(e);
  return buildModel(events, { asOf: at });
}

/**
 * The ledger facade over a store, with the projection-backed policies the CLI's writing
 * verbs need: `payable` (SchedulePayout) and `advocateBlocked` (SendReferralRequest). Each
 * policy replays the store afresh, after the facade has read its guard, so racing payouts
 * cannot together exceed what is payable.
 */
export function cliLedger(store: EventStore, env: NodeJS.ProcessEnv, clock?: () => Date): Ledger {
  const secret = env.REFERRAL_LEDGER_SECRET;
  return createLedger({
    store,
    ...(clock ? { clock } : {}),
    ...(secret ? { secret } : {}),
    policies: {
      payable: async (partnerId, currency, at) =>
        payablePolicy(await modelAt(store, at)).payable(partnerId, currency, at),
      advocateBlocked: async (partnerId, at) =>
        advocateBlocked(await modelAt(store, at), partnerId, Date.parse(at)),
    },
  });
}
