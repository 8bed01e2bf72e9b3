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
  key: NonEmpty.regex(/^[A-Za-z0-9._:-]+$/, 'must be a guard key such as lead-3f2a… or payouts-P-1'),
  claimedBy: NonEmpty,
});

export const guardEvents = { GuardClaimed } as const;
