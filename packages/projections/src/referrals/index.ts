export {
  type BriefLead,
  computeBriefs,
  type FeedbackStatus,
  type Fit,
  type FitReason,
  feedbackStatusOf,
  fitOf,
  type NextAction,
  nextActionOf,
  type ReferralBrief,
  referralBrief,
} from './brief.ts';
export {
  type AttributionForReview,
  type ApprovalForReview,
  computeReviews,
  type ReviewInputs,
  type ReviewItem,
  type ReviewKind,
} from './reviews.ts';
export { convertedDeal, type ReferralViewStatus, referralViewStatus } from './status.ts';
