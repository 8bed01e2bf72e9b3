import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { SubjectId } from '../ids.ts';
import { type DecisionContext, type Decider, type EvolvingEvent, emit, refuse } from './decision.ts';

/** A data subject's consents and erasure (stream `subject-<subjectId>`). */
export interface SubjectState {
  readonly consent: { readonly contact: boolean | null; readonly 'partner-sharing': boolean | null };
  readonly erased: boolean;
}

export type SubjectCommand = CommandOf<'RecordConsent'>;

function evolve(state: SubjectState, event: EvolvingEvent): SubjectState {
  switch (event.type) {
    case 'ConsentRecorded':
      return { ...state, consent: { ...state.consent, [event.data.scope]: event.data.granted } };
    case 'SubjectErased':
      return { ...state, erased: true };
    default:
      return state;
  }
}

function decide(command: SubjectCommand, _state: SubjectState, ctx: DecisionContext): readonly NewEvent[] {
  const { email: _email, subjectId: given, ...d } = command.data;
  const subjectId = given ?? ctx.subjectId ?? null;
  if (subjectId === null) {
    refuse(
      'subject.id-required',
      'Recording consent needs the subject: give subjectId or the email to derive it from.',
    );
  }
  if (subjectId.includes('@')) {
    refuse(
      'subject.personal-data-in-id',
      'A subjectId must be opaque and never contain personal data such as an email; give the email in `email` and let the ledger derive the id.',
    );
  }
  return [emit('ConsentRecorded', { ...d, subjectId: subjectId as SubjectId }, ctx)];
}

/**
 * Data subjects (stream `subject-<subjectId>`): consent per scope, given or withdrawn. The id
 * is opaque (by default a keyed hash of the normalised email, SPEC §10); an id that looks
 * like an email is refused. Erasure is recorded by the privacy tooling (`SubjectErased`).
 */
export const subjectDecider: Decider<SubjectState, SubjectCommand> = {
  initialState: () => ({ consent: { contact: null, 'partner-sharing': null }, erased: false }),
  evolve,
  decide,
};
