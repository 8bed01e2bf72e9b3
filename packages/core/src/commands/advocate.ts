import { AdvocacySignalRecorded, ReferralRequestSent } from '../events/exchange.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `advocate-<partnerId>` (referral requests to customers, SPEC §6.6). */
export const RecordAdvocacySignal = commandSchema('RecordAdvocacySignal', AdvocacySignalRecorded);
export const SendReferralRequest = commandSchema('SendReferralRequest', ReferralRequestSent);

export const advocateCommands = { RecordAdvocacySignal, SendReferralRequest } as const;
