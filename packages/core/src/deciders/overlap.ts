import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import { type DecisionContext, type Decider, type EvolvingEvent, emit, requirePartner } from './decision.ts';

/** How many overlaps a partner's stream holds (decisions need nothing more). */
export interface OverlapState {
  readonly count: number;
}

export type OverlapCommand = CommandOf<'RecordAccountOverlap'>;

function evolve(state: OverlapState, event: EvolvingEvent): OverlapState {
  return event.type === 'AccountOverlapDetected' ? { count: state.count + 1 } : state;
}

function decide(command: OverlapCommand, _state: OverlapState, ctx: DecisionContext): readonly NewEvent[] {
  requirePartner(ctx, command.data.partnerId);
  return [emit('AccountOverlapDetected', command.data, ctx)];
}

/** Account overlaps (stream `overlap-<partnerId>`): recorded for an enrolled partner. */
export const overlapDecider: Decider<OverlapState, OverlapCommand> = {
  initialState: () => ({ count: 0 }),
  evolve,
  decide,
};
