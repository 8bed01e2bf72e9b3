import {
  type Command,
  type CommandInput,
  type CommandType,
  commandStream,
  parseCommand,
} from './commands/catalogue.ts';
import type { ContextExtras } from './ledger/lookup-index.ts';
import { LookupIndex } from './ledger/lookup-index.ts';
import type { AdvocateBlock } from './deciders/decision.ts';
import { fold } from './deciders/decision.ts';
import { deciderFor } from './deciders/index.ts';
import { ConcurrencyError, LedgerError } from './errors.ts';
import { type EventType, streams } from './events/catalogue.ts';
import type { NewEvent, RecordedEventOf } from './events/envelope.ts';
import type { Money } from './money/money.ts';
import { leadDomain, normaliseEmail } from './normalise.ts';
import {
  DEVELOPMENT_SECRET,
  hmacKeyHasher,
  type KeyHasher,
  leadDomainKey,
  leadEmailKey,
  payoutGuardKey,
  subjectIdOf,
} from './ledger/key-hasher.ts';
import type { EventStore, StreamWrite } from './store/types.ts';
import { randomUuid, uuidV5 } from './util/uuid.ts';

/** The events each command may append (its guard events are not returned). */
export interface CommandEvents {
  EnrollPartner: 'PartnerEnrolled';
  ChangePartnerTier: 'PartnerTierChanged';
  SetPartnerSharing: 'PartnerSharingSet';
  UpdatePartner: 'PartnerUpdated';
  OffboardPartner: 'PartnerOffboarded';
  SubmitReferral: 'ReferralSubmitted' | 'ReferralDuplicateFlagged' | 'ReferralFlagged';
  AcceptReferral: 'ReferralAccepted';
  RejectReferral: 'ReferralRejected';
  ChangeReferralOwner: 'ReferralOwnerChanged';
  RecordReferralContact: 'ReferralContacted';
  QualifyReferral: 'ReferralQualified';
  ConvertReferral: 'ReferralConverted';
  WithdrawReferral: 'ReferralWithdrawn';
  SendPartnerFeedback: 'PartnerFeedbackSent';
  OpenOpportunity: 'OpportunityOpened';
  ChangeOpportunityValue: 'OpportunityValueChanged';
  RecordTouchpoint: 'TouchpointRecorded';
  WinOpportunity: 'OpportunityWon';
  LoseOpportunity: 'OpportunityLost';
  ReopenOpportunity: 'OpportunityReopened';
  ReverseRevenue: 'RevenueReversed';
  DisputeAttribution: 'AttributionDisputed';
  ResolveDispute: 'DisputeResolved';
  ApproveCommission: 'CommissionApproved';
  AdjustCommission: 'CommissionAdjusted';
  SchedulePayout: 'PayoutScheduled';
  MarkPayoutSent: 'PayoutSent';
  MarkPayoutFailed: 'PayoutFailed';
  ReversePayout: 'PayoutReversed';
  RecordAccountOverlap: 'AccountOverlapDetected';
  ShareLead: 'LeadShared';
  RespondToSharedLead: 'SharedLeadResponded';
  RecordSharedLeadOutcome: 'SharedLeadOutcome';
  RecordConsent: 'ConsentRecorded';
  RecordAdvocacySignal: 'AdvocacySignalRecorded';
  SendReferralRequest: 'ReferralRequestSent';
  RecordFxRate: 'FxRateRecorded';
  PublishRuleSet: 'RuleSetPublished';
}
// Fails to compile when a command is missing from the map above.
type _EveryCommandMapped = CommandEvents[CommandType] extends EventType ? true : never;
const _everyCommandMapped: _EveryCommandMapped = true;
void _everyCommandMapped;

/**
 * Decisions that need projection logic, which lives in `@referral-ledger/projections` (core
 * does not depend on it). Inject them when creating the ledger; a command that needs a
 * missing policy is refused (`ledger.policy-missing`), never guessed.
 */
export interface LedgerPolicies {
  /**
   * What may still be scheduled for a partner at `at`, in minor units of `currency` (SPEC
   * §6.1): approved, past hold, not disputed, less paid, less payouts scheduled and not yet
   * sent — `payablePolicy(model).payable` of `@referral-ledger/projections`. Build its model
   * from the store inside the call: the facade calls it after reading the payout guard, so a
   * fresh read sees every payout that could race with this one.
   */
  readonly payable?: (partnerId: string, currency: string, at: string) => Promise<number>;
  /**
   * Why a customer may not be asked for a referral at `at` (SPEC §6.6), or `null`. Without
   * it the advocate decider works the answer out from the customer's stream and the rules.
   */
  readonly advocateBlocked?: (partnerId: string, at: string) => Promise<AdvocateBlock | null>;
}

export interface LedgerOptions {
  readonly store: EventStore;
  /** The ledger's clock: business time of commands without `occurredAt` (default: the system clock). */
  readonly clock?: () => Date;
  /** Ids of appended events (default: random UUIDs). */
  readonly newId?: () => string;
  /** Keyed hash for lead guard keys and subject ids (default: HMAC-SHA-256 under `secret`). */
  readonly keyHasher?: KeyHasher;
  /** Secret of the default key hasher (default: `DEVELOPMENT_SECRET`, not for production). */
  readonly secret?: string;
  readonly policies?: LedgerPolicies;
  /** How many times a decision is retried after a concurrent write (default 20). */
  readonly maxRetries?: number;
}

/** What `handle` returns: the events the command appended, as stored, and their positions. */
export interface HandleResult<T extends EventType = EventType> {
  readonly events: readonly RecordedEventOf<T>[];
  readonly positions: readonly number[];
}

/** The embedding facade (see `createLedger`). */
export interface Ledger {
  readonly store: EventStore;
  readonly index: LookupIndex;
  /**
   * Validate a command, decide it against its stream and the cross-stream facts, append the
   * events with optimistic concurrency (retrying on conflict), and return them.
   * Throws `ValidationError` for a malformed command, `CommandRefusedError` for a refusal.
   */
  handle<C extends CommandInput>(command: C): Promise<HandleResult<CommandEvents[C['type']]>>;
  /** The default subject id of an email (a keyed hash of the normalised email, SPEC §10). */
  subjectIdFor(email: string): Promise<string>;
}

interface Guard {
  readonly streamId: string;
  readonly key: string;
  readonly claimedBy: string;
  readonly revision: number;
}

/**
 * Create the ledger facade over a store: commands in, events appended with optimistic
 * concurrency. Cross-stream facts (lead registrations, partners, won domains, consent, rule
 * sets) come from a `LookupIndex` brought up to date before every decision; decisions that
 * depend on such facts are protected by guard streams appended in the same atomic batch.
 *
 * @example
 * const ledger = createLedger({ store: getInMemoryEventStore() });
 * await ledger.handle({ type: 'EnrollPartner', data: { partnerId: 'P-1', name: 'Acme', program: 'partner',
 *   tier: 'gold', contactEmail: 'pm@acme.example', payoutCurrency: 'USD' } });
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? randomUuid;
  const hasher = options.keyHasher ?? hmacKeyHasher(options.secret ?? DEVELOPMENT_SECRET);
  const policies = options.policies ?? {};
  const maxRetries = options.maxRetries ?? 20;
  const index = new LookupIndex();

  async function readGuard(key: string, claimedBy: string): Promise<Guard> {
    const streamId = streams.guard(key);
    return { streamId, key, claimedBy, revision: await store.streamRevision(streamId) };
  }

  /** Resolve what a command leaves to the ledger (subject ids from emails). */
  async function complete(cmd: Command): Promise<{ cmd: Command; subjectId: string | null }> {
    if (cmd.type === 'RecordConsent' && cmd.data.subjectId === undefined && cmd.data.email !== undefined) {
      const subjectId = await subjectIdOf(hasher, cmd.data.email);
      const { email: _email, ...data } = cmd.data;
      return { cmd: { ...cmd, data: { ...data, subjectId } } as Command, subjectId };
    }
    if (cmd.type === 'ShareLead' && cmd.data.subjectId === undefined && cmd.data.lead.email) {
      return { cmd, subjectId: await subjectIdOf(hasher, cmd.data.lead.email) };
    }
    return { cmd, subjectId: null };
  }

  async function attempt(cmd: Command, subjectId: string | null): Promise<HandleResult> {
    const meta = cmd.metadata ?? {};
    const now = meta.occurredAt ?? clock().toISOString();
    await index.catchUp(store);
    const extras: { -readonly [K in keyof ContextExtras]: ContextExtras[K] } = {};
    if (subjectId !== null) extras.subjectId = subjectId;
    // Guards are read before the final catch-up: anything committed after this read bumps
    // a guard, and then our append fails and the whole decision is made again.
    const guards: Guard[] = [];
    if (cmd.type === 'SubmitReferral') {
      const lead = cmd.data.lead;
      const email = normaliseEmail(lead.email);
      const domain = leadDomain(lead, index.rulesAt(now).registration.freeMailDomains);
      const emailKey = await leadEmailKey(hasher, email);
      const domainKey = domain ? await leadDomainKey(hasher, domain) : null;
      guards.push(await readGuard(emailKey, cmd.data.referralId));
      if (domainKey) guards.push(await readGuard(domainKey, cmd.data.referralId));
      await index.catchUp(store);
      extras.registrations = index.registrations({ email, domain, emailKey, domainKey });
    } else if (cmd.type === 'SchedulePayout') {
      const { partnerId, payoutId } = cmd.data;
      guards.push(await readGuard(payoutGuardKey(partnerId), payoutId));
      await index.catchUp(store);
      const currency = index.partner(partnerId)?.payoutCurrency ?? cmd.data.amount.currency;
      extras.payable = policies.payable
        ? ({ amount: await policies.payable(partnerId, currency, now), currency } as Money)
        : null;
    } else if (cmd.type === 'SendReferralRequest' && policies.advocateBlocked) {
      extras.advocateBlocked = await policies.advocateBlocked(cmd.data.partnerId, now);
    }

    const streamId = commandStream(cmd);
    const stored = await store.readStream(streamId);
    if (meta.eventId !== undefined) {
      // A retry of a command that was already appended: return what it appended.
      const first = stored.findIndex((e) => e.metadata.eventId === meta.eventId);
      if (first >= 0) {
        const ids = new Set(stored.slice(first).map((_, i) => eventIdAt(meta.eventId!, i)));
        const events = stored.slice(first).filter((e) => ids.has(e.metadata.eventId));
        return { events, positions: events.map((e) => e.position) };
      }
    }
    const decider = deciderFor(cmd);
    const state = fold(decider, stored);
    const decided = decider.decide(cmd, state, index.context(now, extras));
    if (decided.length === 0) return { events: [], positions: [] };

    const leadSubject = cmd.type === 'ShareLead' ? (cmd.data.subjectId ?? subjectId) : null;
    const stamp = (e: NewEvent, eventId: string): NewEvent =>
      ({
        ...e,
        metadata: {
          ...e.metadata,
          eventId,
          ...(meta.actor ? { actor: meta.actor } : {}),
          ...(meta.correlationId ? { correlationId: meta.correlationId } : {}),
          ...(meta.causationId ? { causationId: meta.causationId } : {}),
          // The subject of a shared lead, so the privacy layer can seal its fields even when
          // the partner's leadFields leave the email out (SPEC §10).
          ...(e.type === 'LeadShared' && leadSubject ? { subjectId: leadSubject } : {}),
        },
      }) as NewEvent;
    const events = decided.map((e, i) => stamp(e, meta.eventId ? eventIdAt(meta.eventId, i) : newId()));
    const writes: StreamWrite[] = [
      { streamId, events, expectedRevision: stored.length === 0 ? 'no-stream' : stored.length - 1 },
      ...guards.map((g) => ({
        streamId: g.streamId,
        expectedRevision: g.revision === -1 ? ('no-stream' as const) : g.revision,
        events: [
          stamp(
            {
              type: 'GuardClaimed',
              data: { key: g.key, claimedBy: g.claimedBy },
              streamId: g.streamId,
              metadata: { occurredAt: now },
            } as NewEvent,
            newId(),
          ),
        ],
      })),
    ];
    await store.appendBatch(writes);
    const ids = new Set(events.map((e) => e.metadata.eventId));
    const appended = (await store.readStream(streamId, { fromRevision: stored.length })).filter((e) =>
      ids.has(e.metadata.eventId),
    );
    return { events: appended, positions: appended.map((e) => e.position) };
  }

  return {
    store,
    index,
    async handle<C extends CommandInput>(command: C): Promise<HandleResult<CommandEvents[C['type']]>> {
      const { cmd, subjectId } = await complete(parseCommand(command));
      for (let n = 0; ; n += 1) {
        try {
          return (await attempt(cmd, subjectId)) as HandleResult<CommandEvents[C['type']]>;
        } catch (e) {
          if (!(e instanceof ConcurrencyError)) throw e;
          if (n >= maxRetries) {
            throw new LedgerError(
              'ledger.retries-exhausted',
              `${cmd.type} lost ${n + 1} races for stream ${e.streamId} to concurrent writers; try again later.`,
              { cause: e },
            );
          }
          // Jittered back-off so that racing writers spread out.
          await new Promise((r) => setTimeout(r, Math.random() * 4 * (n + 1)));
        }
      }
    },
    subjectIdFor: (email) => subjectIdOf(hasher, email),
  };
}

/** The id of a command's i-th event when the caller gave the command an `eventId`. */
function eventIdAt(eventId: string, i: number): string {
  return i === 0 ? eventId : uuidV5(`${eventId}/${i}`);
}
