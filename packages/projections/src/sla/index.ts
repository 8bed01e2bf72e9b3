export { deadlineAfter, elapsedMs, firstContactMinutes, slaBudgets, wholeMinutes } from './clock.ts';
export {
  computeSla,
  type ReferralSla,
  referralSla,
  type SlaSummary,
  type SlaView,
  sortedReferrals,
  summariseSla,
} from './sla.ts';
export { isoUtc } from './iso.ts';
