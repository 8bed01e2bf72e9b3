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

/** A dispute folded from its stream; `null` until raised. */
export type DisputeState = {
  readonly disputeId: string;
  readonly opportunityId: string;
  readonly claimantPartnerId: string;
  readonly decision: 'upheld' | 'rejected' | 'split' | null;
} | null;

export type DisputeCommand = CommandOf<'DisputeAttribution' | 'ResolveDispute'>;

function evolve(state: DisputeState, event: EvolvingEvent): DisputeState {
  switch (event.type) {
    case 'AttributionDisputed':
      return (
        state ?? {
          disputeId: event.data.disputeId,
          opportunityId: event.data.opportunityId,
          claimantPartnerId: event.data.claimantPartnerId,
          decision: null,
        }
      );
    case 'DisputeResolved':
      return state && { ...state, decision: state.decision ?? event.data.decision };
    default:
      return state;
  }
}

function decide(command: DisputeCommand, state: DisputeState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'DisputeAttribution': {
      const d = command.data;
      if (state) {
        refuse(
          'dispute.already-raised',
          `Dispute ${d.disputeId} was already raised; use a new id for a new claim.`,
        );
      }
      if (!ctx.opportunity(d.opportunityId)) {
        refuse(
          'opportunity.not-found',
          `No opportunity ${d.opportunityId} was opened; a dispute needs a deal.`,
        );
      }
      requirePartner(ctx, d.claimantPartnerId, 'claimant');
      return [emit('AttributionDisputed', d, ctx)];
    }
    case 'ResolveDispute': {
      const d = command.data;
      if (!state) {
        refuse('dispute.not-found', `No dispute ${d.disputeId} was raised; check the id.`);
      }
      if (state.decision !== null) {
        refuse(
          'dispute.already-resolved',
          `Dispute ${d.disputeId} was already resolved (${state.decision}); raise a new dispute to revisit it.`,
        );
      }
      if (d.opportunityId !== state.opportunityId) {
        refuse(
          'dispute.opportunity-mismatch',
          `Dispute ${d.disputeId} is about opportunity ${state.opportunityId}, not ${d.opportunityId}.`,
        );
      }
      const credits = d.credits ?? [];
      if (d.decision !== 'rejected' && credits.length === 0) {
        refuse(
          'dispute.credits-required',
          `A dispute resolved as ${d.decision} must give the credits that replace the computed ones (partyId and share, summing to 1).`,
        );
      }
      if (credits.length > 0) {
        const total = credits.reduce((s, c) => s + c.share, 0);
        if (Math.abs(total - 1) > 1e-9) {
          refuse(
            'dispute.shares-must-sum-to-1',
            `The credits' shares sum to ${total}; they must sum to 1 (within 1e-9). Adjust the shares and resolve again.`,
          );
        }
        for (const c of credits) if (c.partyId !== 'house') requirePartner(ctx, c.partyId, 'credited party');
      }
      return [emit('DisputeResolved', d, ctx)];
    }
  }
}

/**
 * Attribution disputes (stream `dispute-<disputeId>`): raised once per id on an opened
 * opportunity by an enrolled claimant; resolved once, with credits summing to 1 unless the
 * claim is rejected.
 */
export const disputeDecider: Decider<DisputeState, DisputeCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
