import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import { type DecisionContext, type Decider, type EvolvingEvent, emit, refuse } from './decision.ts';

/** How many rates the `fx` stream holds (decisions need nothing more). */
export interface FxState {
  readonly rates: number;
}

export type FxCommand = CommandOf<'RecordFxRate'>;

function evolve(state: FxState, event: EvolvingEvent): FxState {
  return event.type === 'FxRateRecorded' ? { rates: state.rates + 1 } : state;
}

function decide(command: FxCommand, _state: FxState, ctx: DecisionContext): readonly NewEvent[] {
  if (command.data.base === command.data.quote) {
    refuse(
      'fx.same-currency',
      `A rate converts between two currencies; base and quote are both ${command.data.base}.`,
    );
  }
  return [emit('FxRateRecorded', command.data, ctx)];
}

/** Exchange rates (stream `fx`): 1 base = rate quote from the event's `occurredAt` (SPEC §6.4). */
export const fxDecider: Decider<FxState, FxCommand> = { initialState: () => ({ rates: 0 }), evolve, decide };
