import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { LeadFieldName } from '../events/partner.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** A lead we shared with a partner, folded from its stream; `null` until shared. */
export type ShareState = {
  readonly shareId: string;
  readonly partnerId: string;
  readonly response: 'accepted' | 'declined' | null;
  readonly outcome: 'contacted' | 'qualified' | 'won' | 'lost' | null;
} | null;

export type ShareCommand = CommandOf<'ShareLead' | 'RespondToSharedLead' | 'RecordSharedLeadOutcome'>;

function evolve(state: ShareState, event: EvolvingEvent): ShareState {
  switch (event.type) {
    case 'LeadShared':
      return (
        state ?? {
          shareId: event.data.shareId,
          partnerId: event.data.partnerId,
          response: null,
          outcome: null,
        }
      );
    case 'SharedLeadResponded':
      return state && { ...state, response: state.response ?? event.data.response };
    case 'SharedLeadOutcome':
      return state && { ...state, outcome: event.data.outcome };
    default:
      return state;
  }
}

/**
 * Keep only the lead fields a partner may receive (its `leadFields`, SPEC §3.2).
 * @example pickLeadFields({ email: 'a@b.example', company: 'B' }, ['company']) // { company: 'B' }
 */
export function pickLeadFields<L extends Readonly<Record<string, unknown>>>(
  lead: L,
  leadFields: readonly LeadFieldName[],
): Partial<L> {
  const out: Record<string, unknown> = {};
  for (const f of leadFields) if (lead[f] !== undefined) out[f] = lead[f];
  return out as Partial<L>;
}

function requireShare(state: ShareState, shareId: string): NonNullable<ShareState> {
  if (!state) refuse('share.not-found', `No lead was shared as ${shareId}; check the id.`);
  return state;
}

function decide(command: ShareCommand, state: ShareState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'ShareLead': {
      const { subjectId: givenSubject, ...d } = command.data;
      if (state)
        refuse('share.already-shared', `Share ${d.shareId} already exists; use a new id for a new share.`);
      const partner = requirePartner(ctx, d.partnerId);
      if (partner.offboarded) {
        refuse(
          'share.partner-offboarded',
          `Partner ${d.partnerId} was offboarded; leads are no longer shared with it. Share with an active partner.`,
        );
      }
      if (!partner.sharing) {
        refuse(
          'share.no-sharing-settings',
          `Partner ${d.partnerId} has no sharing settings, so nothing may be shared with it; record them first (SetPartnerSharing).`,
        );
      }
      const subjectId = givenSubject ?? ctx.subjectId ?? null;
      if (subjectId !== null && ctx.consent(subjectId, 'partner-sharing') === false) {
        refuse(
          'share.consent-withdrawn',
          `The lead's data subject withdrew partner-sharing consent; this lead may not be shared with any partner.`,
        );
      }
      return [emit('LeadShared', { ...d, lead: pickLeadFields(d.lead, partner.sharing.leadFields) }, ctx)];
    }
    case 'RespondToSharedLead': {
      const s = requireShare(state, command.data.shareId);
      if (s.response !== null) {
        refuse(
          'share.already-responded',
          `The partner already ${s.response} shared lead ${s.shareId}; a share is answered once.`,
        );
      }
      return [emit('SharedLeadResponded', command.data, ctx)];
    }
    case 'RecordSharedLeadOutcome': {
      const s = requireShare(state, command.data.shareId);
      if (s.response === 'declined') {
        refuse(
          'share.declined',
          `The partner declined shared lead ${s.shareId}; a declined lead has no outcome.`,
        );
      }
      if (s.outcome === 'won' || s.outcome === 'lost') {
        refuse(
          'share.already-closed',
          `Shared lead ${s.shareId} is already ${s.outcome}; its outcome is final.`,
        );
      }
      return [emit('SharedLeadOutcome', command.data, ctx)];
    }
  }
}

/**
 * Leads we share with partners (stream `share-<shareId>`): refused for an offboarded partner,
 * one without sharing settings, or a subject who withdrew `partner-sharing` consent; the
 * shared lead keeps only the partner's `leadFields`. Answered once; a final outcome is final.
 */
export const shareDecider: Decider<ShareState, ShareCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
