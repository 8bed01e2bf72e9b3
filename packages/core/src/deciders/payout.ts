import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { Money } from '../money/money.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** A payout folded from its stream; `null` until scheduled. */
export type PayoutState = {
  readonly payoutId: string;
  readonly partnerId: string;
  readonly amount: Money;
  readonly status: 'scheduled' | 'sent' | 'failed' | 'reversed';
} | null;

export type PayoutCommand = CommandOf<
  'SchedulePayout' | 'MarkPayoutSent' | 'MarkPayoutFailed' | 'ReversePayout'
>;

function evolve(state: PayoutState, event: EvolvingEvent): PayoutState {
  switch (event.type) {
    case 'PayoutScheduled':
      return (
        state ?? {
          payoutId: event.data.payoutId,
          partnerId: event.data.partnerId,
          amount: event.data.amount,
          status: 'scheduled',
        }
      );
    case 'PayoutSent':
      return state && state.status === 'scheduled' ? { ...state, status: 'sent' } : state;
    case 'PayoutFailed':
      return state && state.status === 'scheduled' ? { ...state, status: 'failed' } : state;
    case 'PayoutReversed':
      return state && state.status === 'sent' ? { ...state, status: 'reversed' } : state;
    default:
      return state;
  }
}

function requirePayout(state: PayoutState, payoutId: string): NonNullable<PayoutState> {
  if (!state) refuse('payout.not-found', `No payout ${payoutId} was scheduled; check the id.`);
  return state;
}

function decide(command: PayoutCommand, state: PayoutState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'SchedulePayout': {
      const d = command.data;
      if (state)
        refuse('payout.already-scheduled', `Payout ${d.payoutId} was already scheduled; use a new id.`);
      const partner = requirePartner(ctx, d.partnerId, 'payee');
      const currency = partner.payoutCurrency;
      if (d.amount.currency !== currency || d.lines.some((l) => l.amount.currency !== currency)) {
        refuse(
          'payout.currency-mismatch',
          `Partner ${d.partnerId} is paid in ${currency}; give the payout and every line in ${currency}.`,
        );
      }
      if (d.amount.amount <= 0) refuse('payout.amount-not-positive', 'A payout must be a positive amount.');
      const linesTotal = d.lines.reduce((s, l) => s + l.amount.amount, 0);
      if (d.lines.length > 0 && linesTotal !== d.amount.amount) {
        refuse(
          'payout.lines-do-not-add-up',
          `The payout's lines add up to ${linesTotal} minor units but its amount is ${d.amount.amount}; make them equal.`,
        );
      }
      if (ctx.payable === undefined || ctx.payable === null) {
        refuse(
          'ledger.policy-missing',
          'Scheduling a payout needs the payable balance from the commission projection: give the ledger a `payable` policy.',
        );
      }
      const available = ctx.payable.currency === currency ? ctx.payable.amount : 0;
      if (d.amount.amount > available) {
        refuse(
          'payout.exceeds-payable',
          `Partner ${d.partnerId} has ${Math.max(0, available)} ${currency} minor units payable (approved, past hold, not disputed, less paid and already scheduled); a payout of ${d.amount.amount} is more than is owed. Schedule at most what is payable.`,
        );
      }
      return [emit('PayoutScheduled', d, ctx)];
    }
    case 'MarkPayoutSent': {
      const s = requirePayout(state, command.data.payoutId);
      if (s.status !== 'scheduled') {
        refuse(
          `payout.already-${s.status}`,
          `Payout ${s.payoutId} is already ${s.status}; only a scheduled payout is sent.`,
        );
      }
      return [emit('PayoutSent', command.data, ctx)];
    }
    case 'MarkPayoutFailed': {
      const s = requirePayout(state, command.data.payoutId);
      if (s.status !== 'scheduled') {
        refuse(
          `payout.already-${s.status}`,
          `Payout ${s.payoutId} is already ${s.status}; only a scheduled payout can fail${s.status === 'sent' ? ' (reverse a sent one that came back: ReversePayout)' : ''}.`,
        );
      }
      return [emit('PayoutFailed', command.data, ctx)];
    }
    case 'ReversePayout': {
      const s = requirePayout(state, command.data.payoutId);
      if (s.status !== 'sent') {
        refuse(
          s.status === 'reversed' ? 'payout.already-reversed' : 'payout.not-sent',
          `Payout ${s.payoutId} is ${s.status}; only a sent payout can be reversed.`,
        );
      }
      return [emit('PayoutReversed', command.data, ctx)];
    }
  }
}

/**
 * Payouts (stream `payout-<payoutId>`): scheduled for an enrolled partner in its payout
 * currency, never above what may still be scheduled (SPEC §6.1; the `payable` policy); then
 * sent or failed once; a sent payout may be reversed.
 */
export const payoutDecider: Decider<PayoutState, PayoutCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
