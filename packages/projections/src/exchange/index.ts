export { type OverlapView, type PartnerExchange, partnerExchange, type SharedLeadView } from './partner.ts';
export { computeShares, median, type PartnerShares } from './shares.ts';
