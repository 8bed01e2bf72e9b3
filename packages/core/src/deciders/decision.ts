import type { CommandType } from '../commands/catalogue.ts';
import { CommandRefusedError } from '../errors.ts';
import { type EventData, type EventType, type LedgerEvent, streamFor } from '../events/catalogue.ts';
import { type NewEvent, validateEventData } from '../events/envelope.ts';
import type { Money } from '../money/money.ts';
import type { RuleSet } from '../rules/schema.ts';
import type { OpportunityState } from './opportunity.ts';
import type { PartnerState } from './partner.ts';

/** An event as `evolve` needs it: type, data and business time (a new or a recorded event). */
export type EvolvingEvent = LedgerEvent & { readonly metadata: { readonly occurredAt: string } };

/** An enrolled partner as deciders see it (the partner decider's state). */
export type PartnerFacts = NonNullable<PartnerState>;
/** An opened opportunity as deciders see it. */
export type OpportunityFacts = NonNullable<OpportunityState>;

/** An earlier referral that registered a lead (SPEC §5 registrations). */
export interface Registration {
  readonly referralId: string;
  readonly partnerId: string;
  /** `occurredAt` of its `ReferralSubmitted`. */
  readonly submittedAt: string;
  readonly position: number;
  readonly status: 'open' | 'rejected' | 'withdrawn';
}

/** What is known about an account domain across streams (for `existing-customer`). */
export interface DomainFacts {
  /** Opportunities on the domain whose latest terminal event is a win. */
  readonly wonOpportunityIds: readonly string[];
  /** Partners that reported the domain as our customer (`AccountOverlapDetected`). */
  readonly customerOverlapPartnerIds: readonly string[];
}

/** Why a customer may not be asked for a referral now (SPEC §6.6). */
export type AdvocateBlock = 'offboarded' | 'tenure' | 'quiet' | 'quota';

/**
 * Everything a decider knows besides its own stream: the time, the rules in force, and
 * lookups into other streams. The facade builds it from its `LookupIndex` (kept current by
 * reading the store) and its policies; tests build it from given events. Deciders never read
 * a clock, a store or a random source.
 */
export interface DecisionContext {
  /** Business time of the command (ISO-8601). */
  readonly now: string;
  /** The rule set in force at `now` (SPEC §4). */
  readonly rules: RuleSet;
  /** The enrolled partner with this id (offboarded or not), or `null`. */
  readonly partner: (partnerId: string) => PartnerFacts | null;
  /** The opened opportunity with this id, or `null`. */
  readonly opportunity: (opportunityId: string) => OpportunityFacts | null;
  /** Cross-stream facts about a normalised account domain. */
  readonly domain: (domain: string) => DomainFacts;
  /** The latest consent a subject gave or withdrew for a scope, or `null` when never recorded. */
  readonly consent: (subjectId: string, scope: 'contact' | 'partner-sharing') => boolean | null;
  /** SubmitReferral: earlier registrations of the lead's email and domain (any status). */
  readonly registrations?: {
    readonly email: readonly Registration[];
    readonly domain: readonly Registration[];
  };
  /** The subject id derived from the command's email (ShareLead, RecordConsent), if any. */
  readonly subjectId?: string | null;
  /**
   * SchedulePayout: what may still be scheduled now (a policy over the commission projection):
   * approved, past hold, not disputed, less paid and less payouts scheduled but not yet sent.
   */
  readonly payable?: Money | null;
  /** SendReferralRequest: a policy's answer; when absent the decider works it out itself. */
  readonly advocateBlocked?: AdvocateBlock | null;
}

/** A decider: three pure functions over one aggregate's stream (STYLE 2). */
export interface Decider<S, C extends { readonly type: CommandType }> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: EvolvingEvent) => S;
  readonly decide: (command: C, state: S, context: DecisionContext) => readonly NewEvent[];
}

/** Throw the refusal of a command: nothing is appended. */
export function refuse(code: string, message: string): never {
  throw new CommandRefusedError(code, message);
}

/**
 * Build a new event for its stream at the context's time, validating its data (a decider
 * bug surfaces as a `ValidationError`, never as a bad event in the log).
 */
export function emit<T extends EventType>(
  type: T,
  data: EventData<T>,
  ctx: Pick<DecisionContext, 'now'>,
): NewEvent {
  const valid = validateEventData(type, data);
  const event = { type, data: valid } as LedgerEvent;
  return { ...event, streamId: streamFor(event), metadata: { occurredAt: ctx.now } } as NewEvent;
}

/** Fold events into a state with a decider's `evolve`. */
export function fold<S>(
  decider: { initialState: () => S; evolve: (s: S, e: EvolvingEvent) => S },
  events: Iterable<EvolvingEvent>,
): S {
  let s = decider.initialState();
  for (const e of events) s = decider.evolve(s, e);
  return s;
}

/** The partner a command names, refusing an unknown (or reserved) id. */
export function requirePartner(ctx: DecisionContext, partnerId: string, role = 'partner'): PartnerFacts {
  if (partnerId === 'house') {
    refuse(
      'partner.reserved-id',
      `"house" is reserved for the company itself and cannot act as a ${role}; use an enrolled partner's id.`,
    );
  }
  const p = ctx.partner(partnerId);
  if (!p) {
    refuse('partner.not-found', `No partner ${partnerId} is enrolled; enroll it first (EnrollPartner).`);
  }
  return p;
}

/** Like `requirePartner`, also refusing an offboarded partner. */
export function requireActivePartner(
  ctx: DecisionContext,
  partnerId: string,
  role = 'partner',
): PartnerFacts {
  const p = requirePartner(ctx, partnerId, role);
  if (p.offboarded) {
    refuse(
      'partner.offboarded',
      `Partner ${partnerId} was offboarded (${p.offboardReason ?? 'no reason given'}); it can no longer act as a ${role}. Enroll a new partner if the relationship resumed.`,
    );
  }
  return p;
}

const DAY_MS = 86_400_000;
/** Milliseconds in `days` days (windows of N days are exact, SPEC §11). */
export function days(n: number): number {
  return n * DAY_MS;
}
