import {
  PartnerEnrolled,
  PartnerOffboarded,
  PartnerSharingSet,
  PartnerTierChanged,
  PartnerUpdated,
} from '../events/partner.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `partner-<partnerId>`; each carries the fields of the event it produces. */
export const EnrollPartner = commandSchema('EnrollPartner', PartnerEnrolled);
export const ChangePartnerTier = commandSchema('ChangePartnerTier', PartnerTierChanged);
export const SetPartnerSharing = commandSchema('SetPartnerSharing', PartnerSharingSet);
export const UpdatePartner = commandSchema('UpdatePartner', PartnerUpdated);
export const OffboardPartner = commandSchema('OffboardPartner', PartnerOffboarded);

export const partnerCommands = {
  EnrollPartner,
  ChangePartnerTier,
  SetPartnerSharing,
  UpdatePartner,
  OffboardPartner,
} as const;
