import type { Money } from '@referral-ledger/core';
import type { EventRef } from '../model.ts';
import type { OpportunityState } from '../state.ts';

/** The kind of credit a party holds on a deal (SPEC §5 "Credit kind"). */
export type CreditKind = 'sourced' | 'influenced' | 'resold' | 'house';

/** One party's credit on an opportunity: its share of the deal and that share in minor units. */
export interface Credit {
  readonly partyId: string;
  readonly kind: CreditKind;
  readonly share: number;
  /** Minor units of the deal's currency (largest-remainder allocation of the value). */
  readonly amount: number;
}

export type AttributionModelName =
  | 'first-to-register'
  | 'last-touch'
  | 'linear'
  | 'time-decay'
  | 'position-based'
  | 'multi-touch';

/** How a registration relates to the opportunity. */
export type RegistrationMatch = 'converted' | 'domain' | 'email';

/**
 * Why a registration was or was not the sourced registration of a deal:
 * `sourced` (the earliest candidate), `later` (a candidate after the earliest one: a
 * duplicate), `tie-lost` (same `occurredAt` as the earliest, later log position),
 * `rejected` / `withdrawn` (as of T), `after-opening` (submitted after the deal opened),
 * `window-lapsed` (the protection window ended at or before the opening).
 */
export type RegistrationOutcome =
  | 'sourced'
  | 'later'
  | 'tie-lost'
  | 'rejected'
  | 'withdrawn'
  | 'after-opening'
  | 'window-lapsed';

/** A registration considered for a deal, with its window and the verdict. */
export interface RegistrationExplanation {
  readonly referralId: string;
  readonly partnerId: string;
  readonly submittedAt: number;
  /** The protection window [from, to) (SPEC §11). */
  readonly windowFrom: number;
  readonly windowTo: number;
  readonly matchedOn: readonly RegistrationMatch[];
  readonly candidate: boolean;
  readonly outcome: RegistrationOutcome;
  /** A sentence a partner manager can read. */
  readonly reason: string;
  readonly source: EventRef;
}

/** One touch of a deal as the model saw it. */
export interface TouchExplanation {
  readonly partyId: string;
  readonly kind: 'sourced' | 'influenced' | 'resold';
  readonly at: number;
  /** `registration` for the sourced partner's registration touch. */
  readonly origin: 'touchpoint' | 'registration';
  readonly activity: string | null;
  /** Counted by the model (inside [T − lookback, T]; the registration is exempt). */
  readonly counted: boolean;
  /** Why it was left out, when it was. */
  readonly excludedBecause: 'after-close' | 'before-lookback' | null;
  /** The weight the model gave it (time-decay weight, positional share, 1/n …); 0 when not counted. */
  readonly weight: number;
  readonly source: EventRef;
}

/** A dispute of the deal and what it did to the credits. */
export interface DisputeExplanation {
  readonly disputeId: string;
  readonly claimantPartnerId: string;
  readonly openedAt: number;
  readonly status: 'open' | 'upheld' | 'rejected' | 'split';
  readonly resolvedAt: number | null;
  /** True for the resolution whose credits replaced the computed ones. */
  readonly applied: boolean;
  readonly source: EventRef;
  readonly resolution: EventRef | null;
}

/** Everything behind one opportunity's credits (SPEC §8 Explain). */
export interface AttributionExplanation {
  readonly model: AttributionModelName;
  /** The rule set version and the publication it came from (null: given by the caller, or the defaults). */
  readonly ruleVersion: string;
  readonly ruleSource: EventRef | null;
  /** The time the model was evaluated at: the close, else the as-of time. */
  readonly evaluatedAt: number;
  readonly protectionDays: number;
  readonly lookbackDays: number;
  readonly halfLifeDays: number;
  readonly sourcedShare: number;
  readonly registrations: readonly RegistrationExplanation[];
  readonly touches: readonly TouchExplanation[];
  /** Shares the model computed, before any dispute resolution. */
  readonly computedShares: readonly { readonly partyId: string; readonly share: number }[];
  readonly disputes: readonly DisputeExplanation[];
}

/** The attribution of one opportunity (SPEC §5, §9 attribution JSON). */
export interface OpportunityAttribution {
  readonly opportunityId: string;
  readonly status: 'open' | 'won' | 'lost';
  readonly value: Money;
  readonly conflict: boolean;
  readonly disputed: boolean;
  readonly ruleVersion: string;
  readonly credits: readonly Credit[];
  /** The party credited with kind `sourced` (after dispute resolutions), else null. */
  readonly sourcedPartyId: string | null;
  readonly closedAt: number | null;
  readonly state: OpportunityState;
  readonly explanation: AttributionExplanation;
}
