import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** Approvals and adjustments on one opportunity, per partner, in the partner's payout currency. */
export interface CommissionState {
  readonly approved: Readonly<Record<string, number>>;
  readonly adjusted: Readonly<Record<string, number>>;
}

export type CommissionCommand = CommandOf<'ApproveCommission' | 'AdjustCommission'>;

function evolve(state: CommissionState, event: EvolvingEvent): CommissionState {
  switch (event.type) {
    case 'CommissionApproved': {
      const p = event.data.partnerId;
      return {
        ...state,
        approved: { ...state.approved, [p]: (state.approved[p] ?? 0) + event.data.amount.amount },
      };
    }
    case 'CommissionAdjusted': {
      const p = event.data.partnerId;
      return {
        ...state,
        adjusted: { ...state.adjusted, [p]: (state.adjusted[p] ?? 0) + event.data.amount.amount },
      };
    }
    default:
      return state;
  }
}

function decide(
  command: CommissionCommand,
  _state: CommissionState,
  ctx: DecisionContext,
): readonly NewEvent[] {
  const d = command.data;
  const partner = requirePartner(ctx, d.partnerId);
  const opp = ctx.opportunity(d.opportunityId);
  if (!opp) {
    refuse(
      'opportunity.not-found',
      `No opportunity ${d.opportunityId} was opened; commission belongs to a deal.`,
    );
  }
  if (d.amount.currency !== partner.payoutCurrency) {
    refuse(
      'commission.currency-mismatch',
      `Partner ${d.partnerId} is paid in ${partner.payoutCurrency}; give the amount in ${partner.payoutCurrency}, not ${d.amount.currency}.`,
    );
  }
  if (command.type === 'ApproveCommission') {
    if (opp.status !== 'won') {
      refuse(
        'commission.not-won',
        `Opportunity ${d.opportunityId} is ${opp.status}; only commission on a won deal can be approved.`,
      );
    }
    if (d.amount.amount <= 0) {
      refuse(
        'commission.amount-not-positive',
        'An approval must be a positive amount; use AdjustCommission to correct.',
      );
    }
    return [emit('CommissionApproved', command.data, ctx)];
  }
  if (d.amount.amount === 0) {
    refuse('commission.amount-zero', 'An adjustment of 0 changes nothing; give a signed, non-zero amount.');
  }
  return [emit('CommissionAdjusted', command.data, ctx)];
}

/**
 * Commission approvals and adjustments (stream `commission-<opportunityId>`): for an enrolled
 * partner on an opened deal, in the partner's payout currency; approvals only on a won deal.
 */
export const commissionDecider: Decider<CommissionState, CommissionCommand> = {
  initialState: () => ({ approved: {}, adjusted: {} }),
  evolve,
  decide,
};
