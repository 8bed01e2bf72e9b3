import { z } from 'zod';
import { NonEmpty } from '../events/common.ts';
import {
  PartnerFeedbackSent,
  ReferralAccepted,
  ReferralContacted,
  ReferralConverted,
  ReferralOwnerChanged,
  ReferralQualified,
  ReferralSubmitted,
  ReferralWithdrawn,
} from '../events/referral.ts';
import { ReferralId } from '../ids.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `referral-<referralId>`. */
export const SubmitReferral = commandSchema('SubmitReferral', ReferralSubmitted);
export const AcceptReferral = commandSchema('AcceptReferral', ReferralAccepted);
/**
 * The explanation and its approver are optional in the shape so that the decider, not the
 * parser, refuses a rejection without them (`referral.explanation-required`, SPEC §3.2).
 */
export const RejectReferral = commandSchema(
  'RejectReferral',
  z.strictObject({
    referralId: ReferralId,
    reason: NonEmpty,
    partnerExplanation: z.string().optional(),
    approvedBy: z.string().optional(),
  }),
);
export const ChangeReferralOwner = commandSchema('ChangeReferralOwner', ReferralOwnerChanged);
export const RecordReferralContact = commandSchema('RecordReferralContact', ReferralContacted);
export const QualifyReferral = commandSchema('QualifyReferral', ReferralQualified);
export const ConvertReferral = commandSchema('ConvertReferral', ReferralConverted);
export const WithdrawReferral = commandSchema('WithdrawReferral', ReferralWithdrawn);
export const SendPartnerFeedback = commandSchema('SendPartnerFeedback', PartnerFeedbackSent);

export const referralCommands = {
  SubmitReferral,
  AcceptReferral,
  RejectReferral,
  ChangeReferralOwner,
  RecordReferralContact,
  QualifyReferral,
  ConvertReferral,
  WithdrawReferral,
  SendPartnerFeedback,
} as const;
