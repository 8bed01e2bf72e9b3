export {
  advocateBlocked,
  type BlockedReason,
  type CustomerRequests,
  computeRequests,
  dueRequest,
  isDetractor,
  isPromoter,
  type RequestDue,
  type RequestStep,
} from './requests.ts';
