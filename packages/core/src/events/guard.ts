import { z } from 'zod';
import { NonEmpty } from './common.ts';

/**
 * Stream `guard-<key>`: a facade-internal, technical event. The ledger facade appends one
 * in the same atomic batch as the events it guards (a referral's lead keys, a partner's
 * payouts), with the guard's expected revision read before deciding, so two racing
 * decisions over the same cross-stream fact cannot both succeed. Reports ignore it; `key`
 * is a keyed hash (never personal data) or `payouts-<partnerId>`.
 */
export const GuardClaimed = z.strictObject({
  key: NonEmpty,
  claimedBy: NonEmpty,
});

export const guardEvents = { GuardClaimed } as const;
