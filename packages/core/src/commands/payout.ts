import { PayoutFailed, PayoutReversed, PayoutScheduled, PayoutSent } from '../events/commission.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `payout-<payoutId>`. */
export const SchedulePayout = commandSchema('SchedulePayout', PayoutScheduled);
export const MarkPayoutSent = commandSchema('MarkPayoutSent', PayoutSent);
export const MarkPayoutFailed = commandSchema('MarkPayoutFailed', PayoutFailed);
export const ReversePayout = commandSchema('ReversePayout', PayoutReversed);

export const payoutCommands = { SchedulePayout, MarkPayoutSent, MarkPayoutFailed, ReversePayout } as const;
