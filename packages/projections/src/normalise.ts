/**
 * Normalisation (SPEC §5, §11) lives in core, where the deciders use it too; projections
 * re-export it so views and deciders can never disagree on what matches.
 */
export {
  emailDomain,
  isFreeMail,
  leadDomain,
  normaliseDomain,
  normaliseEmail,
  rawLeadDomain,
  websiteHost,
} from '@referral-ledger/core';
