import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { Money } from '../money/money.ts';
import { normaliseDomain } from '../normalise.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** An opportunity folded from its stream; `null` until opened. */
export type OpportunityState = {
  readonly opportunityId: string;
  /** Normalised (SPEC §11). */
  readonly accountDomain: string;
  readonly value: Money;
  readonly status: 'open' | 'won' | 'lost';
  /** The won value while won (`null` otherwise). */
  readonly wonValue: Money | null;
  /** Revenue reversed since the last win, in the won value's currency. */
  readonly reversed: number;
} | null;

export type OpportunityCommand = CommandOf<
  | 'OpenOpportunity'
  | 'ChangeOpportunityValue'
  | 'RecordTouchpoint'
  | 'WinOpportunity'
  | 'LoseOpportunity'
  | 'ReopenOpportunity'
  | 'ReverseRevenue'
>;

function evolve(state: OpportunityState, event: EvolvingEvent): OpportunityState {
  if (event.type === 'OpportunityOpened') {
    if (state) return state;
    return {
      opportunityId: event.data.opportunityId,
      accountDomain: normaliseDomain(event.data.accountDomain),
      value: event.data.value,
      status: 'open',
      wonValue: null,
      reversed: 0,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'OpportunityValueChanged':
      return { ...state, value: event.data.value };
    // The first terminal event decides; a second one without a reopen in between is ignored (SPEC §5).
    case 'OpportunityWon':
      return state.status !== 'open'
        ? state
        : { ...state, status: 'won', value: event.data.value, wonValue: event.data.value, reversed: 0 };
    case 'OpportunityLost':
      return state.status !== 'open' ? state : { ...state, status: 'lost' };
    case 'OpportunityReopened':
      return { ...state, status: 'open', wonValue: null, reversed: 0 };
    case 'RevenueReversed':
      return { ...state, reversed: state.reversed + event.data.value.amount };
    default:
      return state;
  }
}

function requireOpportunity(state: OpportunityState, opportunityId: string): NonNullable<OpportunityState> {
  if (!state) {
    refuse(
      'opportunity.not-found',
      `No opportunity ${opportunityId} was opened; open it first (OpenOpportunity).`,
    );
  }
  return state;
}

function requireOpen(state: NonNullable<OpportunityState>, action: string): void {
  if (state.status !== 'open') {
    refuse(
      'opportunity.already-closed',
      `Opportunity ${state.opportunityId} is already ${state.status}; it cannot be ${action} until it is reopened (ReopenOpportunity).`,
    );
  }
}

function decide(
  command: OpportunityCommand,
  state: OpportunityState,
  ctx: DecisionContext,
): readonly NewEvent[] {
  switch (command.type) {
    case 'OpenOpportunity':
      if (state) {
        refuse(
          'opportunity.already-opened',
          `Opportunity ${command.data.opportunityId} is already open; change its value or record touches instead.`,
        );
      }
      return [emit('OpportunityOpened', command.data, ctx)];
    case 'ChangeOpportunityValue': {
      const s = requireOpportunity(state, command.data.opportunityId);
      requireOpen(s, 'revalued');
      return [emit('OpportunityValueChanged', command.data, ctx)];
    }
    case 'RecordTouchpoint':
      requireOpportunity(state, command.data.opportunityId);
      if (command.data.partyId !== 'house') requirePartner(ctx, command.data.partyId, 'touching party');
      return [emit('TouchpointRecorded', command.data, ctx)];
    case 'WinOpportunity': {
      const s = requireOpportunity(state, command.data.opportunityId);
      requireOpen(s, 'won');
      return [emit('OpportunityWon', command.data, ctx)];
    }
    case 'LoseOpportunity': {
      const s = requireOpportunity(state, command.data.opportunityId);
      requireOpen(s, 'lost');
      return [emit('OpportunityLost', command.data, ctx)];
    }
    case 'ReopenOpportunity': {
      const s = requireOpportunity(state, command.data.opportunityId);
      if (s.status === 'open') {
        refuse(
          'opportunity.not-closed',
          `Opportunity ${s.opportunityId} is open; only a won or lost deal reopens.`,
        );
      }
      return [emit('OpportunityReopened', command.data, ctx)];
    }
    case 'ReverseRevenue': {
      const s = requireOpportunity(state, command.data.opportunityId);
      if (s.status !== 'won' || !s.wonValue) {
        refuse(
          'opportunity.not-won',
          `Opportunity ${s.opportunityId} is ${s.status}; only revenue of a won deal can be reversed.`,
        );
      }
      const v = command.data.value;
      if (v.currency !== s.wonValue.currency) {
        refuse(
          'opportunity.currency-mismatch',
          `Opportunity ${s.opportunityId} was won in ${s.wonValue.currency}; give the reversed value in ${s.wonValue.currency}, not ${v.currency}.`,
        );
      }
      if (v.amount <= 0) {
        refuse('opportunity.reversal-not-positive', 'The reversed value must be a positive amount.');
      }
      if (s.reversed + v.amount > s.wonValue.amount) {
        refuse(
          'opportunity.reversal-exceeds-value',
          `Opportunity ${s.opportunityId} was won for ${s.wonValue.amount} minor units and ${s.reversed} are already reversed; at most ${s.wonValue.amount - s.reversed} more can be reversed.`,
        );
      }
      return [emit('RevenueReversed', command.data, ctx)];
    }
  }
}

/**
 * Opportunities (stream `opportunity-<opportunityId>`): open, revalue, touches, won or lost
 * (once, until reopened), reopen, revenue reversals (never more than was won).
 */
export const opportunityDecider: Decider<OpportunityState, OpportunityCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
