export { computeShares, median, type PartnerShares } from './shares.ts';
