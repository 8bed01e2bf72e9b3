import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { RuleSet } from '../rules/schema.ts';
import {
  type AdvocateBlock,
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  type PartnerFacts,
  days,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** A customer's advocacy history (stream `advocate-<partnerId>`), in log order. */
export interface AdvocateState {
  readonly signals: readonly {
    readonly signal: string;
    readonly score: number | null;
    readonly at: string;
  }[];
  readonly requests: readonly { readonly requestId: string; readonly step: string; readonly at: string }[];
}

export type AdvocateCommand = CommandOf<'RecordAdvocacySignal' | 'SendReferralRequest'>;

function evolve(state: AdvocateState, event: EvolvingEvent): AdvocateState {
  switch (event.type) {
    case 'AdvocacySignalRecorded':
      return {
        ...state,
        signals: [
          ...state.signals,
          { signal: event.data.signal, score: event.data.score ?? null, at: event.metadata.occurredAt },
        ],
      };
    case 'ReferralRequestSent':
      return {
        ...state,
        requests: [
          ...state.requests,
          { requestId: event.data.requestId, step: event.data.step, at: event.metadata.occurredAt },
        ],
      };
    default:
      return state;
  }
}

/**
 * Why a customer may not be asked for a referral at `now` (SPEC §6.6), the first that
 * applies: `offboarded`; `tenure` (less than `minTenureDays` since `customerSince`, else since
 * enrolment); `quiet` (a detractor signal — `support-issue`, or `nps` ≤ 6 — in the last
 * `quietDays`); `quota` (`maxPerQuarter` requests sent in the last 90 days). `null` when free.
 * "The last N days" at T is (T − N days, T] (SPEC §11).
 */
export function advocateBlock(
  partner: PartnerFacts,
  state: AdvocateState,
  rules: RuleSet,
  now: string,
): AdvocateBlock | null {
  const t = Date.parse(now);
  const r = rules.requests;
  if (partner.offboarded) return 'offboarded';
  const since = Date.parse(partner.customerSince ?? partner.enrolledAt);
  if (t - since < days(r.minTenureDays)) return 'tenure';
  const inLast = (at: string, n: number) => {
    const x = Date.parse(at);
    return x > t - days(n) && x <= t;
  };
  const detractor = (s: AdvocateState['signals'][number]) =>
    s.signal === 'support-issue' || (s.signal === 'nps' && s.score !== null && s.score <= 6);
  if (state.signals.some((s) => detractor(s) && inLast(s.at, r.quietDays))) return 'quiet';
  if (state.requests.filter((q) => inLast(q.at, 90)).length >= r.maxPerQuarter) return 'quota';
  return null;
}

const BLOCK_REASONS: Record<AdvocateBlock, string> = {
  offboarded: 'the customer was offboarded',
  tenure: 'the customer is too new (tenure below requests.minTenureDays)',
  quiet: 'a detractor signal was recorded within requests.quietDays',
  quota: 'the quarterly quota (requests.maxPerQuarter in the last 90 days) is used up',
};

function requireCustomer(ctx: DecisionContext, partnerId: string): PartnerFacts {
  const p = requirePartner(ctx, partnerId, 'advocate');
  if (p.program !== 'customer') {
    refuse(
      'advocate.not-a-customer',
      `Partner ${partnerId} is in the ${p.program} program; referral requests go to enrolled customers (program customer).`,
    );
  }
  return p;
}

function decide(command: AdvocateCommand, state: AdvocateState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'RecordAdvocacySignal': {
      requireCustomer(ctx, command.data.partnerId);
      if (command.data.signal === 'nps' && command.data.score === undefined) {
        refuse('advocate.score-required', 'An nps signal needs its score (0–10).');
      }
      return [emit('AdvocacySignalRecorded', command.data, ctx)];
    }
    case 'SendReferralRequest': {
      const d = command.data;
      const partner = requireCustomer(ctx, d.partnerId);
      if (state.requests.some((q) => q.requestId === d.requestId)) {
        refuse(
          'advocate.request-already-sent',
          `Request ${d.requestId} was already sent; use a new request id.`,
        );
      }
      const blocked =
        ctx.advocateBlocked !== undefined
          ? ctx.advocateBlocked
          : advocateBlock(partner, state, ctx.rules, ctx.now);
      if (blocked !== null) {
        refuse(
          'advocate.blocked',
          `Customer ${d.partnerId} may not be asked for a referral now (blocked: ${blocked} — ${BLOCK_REASONS[blocked]}); see \`report requests\` for when it is due.`,
        );
      }
      return [emit('ReferralRequestSent', d, ctx)];
    }
  }
}

/**
 * Customer advocacy (stream `advocate-<partnerId>`): signals and referral requests for
 * enrolled customers; a request to a blocked customer is refused (`advocate.blocked`, naming
 * offboarded, tenure, quiet or quota).
 */
export const advocateDecider: Decider<AdvocateState, AdvocateCommand> = {
  initialState: () => ({ signals: [], requests: [] }),
  evolve,
  decide,
};
