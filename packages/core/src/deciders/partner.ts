import type { CommandOf } from '../commands/catalogue.ts';
import type { LeadFieldName } from '../events/partner.ts';
import type { Program, Relationship, Tier } from '../events/common.ts';
import type { NewEvent } from '../events/envelope.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  emit,
  refuse,
  requirePartner,
} from './decision.ts';

/** A partner folded from its stream; `null` until enrolled. */
export type PartnerState = {
  readonly partnerId: string;
  readonly name: string;
  readonly program: Program;
  readonly tier: Tier;
  readonly contactEmail: string;
  readonly payoutCurrency: string;
  readonly domain: string | null;
  readonly managerId: string | null;
  readonly customerSince: string | null;
  readonly referredBy: string | null;
  readonly enrolledAt: string;
  readonly offboarded: boolean;
  readonly offboardReason: string | null;
  /** What we may share with the partner; `null` until set (nothing is shared). */
  readonly sharing: {
    readonly leadFields: readonly LeadFieldName[];
    readonly overlapRelationships: readonly Relationship[];
  } | null;
} | null;

export type PartnerCommand = CommandOf<
  'EnrollPartner' | 'ChangePartnerTier' | 'SetPartnerSharing' | 'UpdatePartner' | 'OffboardPartner'
>;

function evolve(state: PartnerState, event: EvolvingEvent): PartnerState {
  switch (event.type) {
    case 'PartnerEnrolled': {
      if (state) return state;
      const d = event.data;
      return {
        partnerId: d.partnerId,
        name: d.name,
        program: d.program,
        tier: d.tier,
        contactEmail: d.contactEmail,
        payoutCurrency: d.payoutCurrency,
        domain: d.domain ?? null,
        managerId: d.managerId ?? null,
        customerSince: d.customerSince ?? null,
        referredBy: d.referredBy ?? null,
        enrolledAt: event.metadata.occurredAt,
        offboarded: false,
        offboardReason: null,
        sharing: null,
      };
    }
    case 'PartnerTierChanged':
      return state && { ...state, tier: event.data.tier };
    case 'PartnerSharingSet':
      return (
        state && {
          ...state,
          sharing: {
            leadFields: event.data.leadFields,
            overlapRelationships: event.data.overlapRelationships,
          },
        }
      );
    case 'PartnerUpdated': {
      if (!state) return state;
      const d = event.data;
      return {
        ...state,
        name: d.name ?? state.name,
        contactEmail: d.contactEmail ?? state.contactEmail,
        payoutCurrency: d.payoutCurrency ?? state.payoutCurrency,
        domain: d.domain ?? state.domain,
        managerId: d.managerId ?? state.managerId,
      };
    }
    case 'PartnerOffboarded':
      return (
        state &&
        (state.offboarded ? state : { ...state, offboarded: true, offboardReason: event.data.reason })
      );
    default:
      return state;
  }
}

function requireEnrolled(state: PartnerState, partnerId: string): NonNullable<PartnerState> {
  if (!state)
    refuse('partner.not-found', `No partner ${partnerId} is enrolled; enroll it first (EnrollPartner).`);
  if (state.offboarded) {
    refuse(
      'partner.offboarded',
      `Partner ${partnerId} was offboarded (${state.offboardReason}); an offboarded partner cannot be changed. Enroll a new partner if the relationship resumed.`,
    );
  }
  return state;
}

function decide(command: PartnerCommand, state: PartnerState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'EnrollPartner': {
      const d = command.data;
      if (d.partnerId === 'house') {
        refuse(
          'partner.reserved-id',
          '"house" is reserved for the company itself (direct and marketing touches); choose another partner id.',
        );
      }
      if (state) {
        refuse(
          'partner.already-enrolled',
          `Partner ${d.partnerId} is already enrolled${state.offboarded ? ' (and offboarded)' : ''}; use UpdatePartner or ChangePartnerTier to change it, or another id for a new partner.`,
        );
      }
      if (d.referredBy !== undefined) {
        if (d.referredBy === d.partnerId) {
          refuse('partner.self-referred', `Partner ${d.partnerId} cannot be its own recruiter (referredBy).`);
        }
        requirePartner(ctx, d.referredBy, 'recruiter');
      }
      return [emit('PartnerEnrolled', d, ctx)];
    }
    case 'ChangePartnerTier': {
      const s = requireEnrolled(state, command.data.partnerId);
      if (s.tier === command.data.tier) return [];
      return [emit('PartnerTierChanged', command.data, ctx)];
    }
    case 'SetPartnerSharing':
      requireEnrolled(state, command.data.partnerId);
      return [emit('PartnerSharingSet', command.data, ctx)];
    case 'UpdatePartner': {
      requireEnrolled(state, command.data.partnerId);
      const { partnerId: _id, ...changes } = command.data;
      if (Object.values(changes).every((v) => v === undefined)) {
        refuse(
          'partner.nothing-to-update',
          `UpdatePartner for ${command.data.partnerId} changes nothing; give at least one of name, contactEmail, payoutCurrency, domain, managerId.`,
        );
      }
      return [emit('PartnerUpdated', command.data, ctx)];
    }
    case 'OffboardPartner':
      requireEnrolled(state, command.data.partnerId);
      return [emit('PartnerOffboarded', command.data, ctx)];
  }
}

/**
 * Partners (stream `partner-<partnerId>`): enrolment, tier, sharing settings, updates,
 * offboarding. Refuses `partner.already-enrolled`, `partner.not-found`, `partner.offboarded`,
 * `partner.reserved-id` (`house`), `partner.self-referred`, `partner.nothing-to-update`.
 * Changing a tier to the tier it has appends nothing.
 */
export const partnerDecider: Decider<PartnerState, PartnerCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
