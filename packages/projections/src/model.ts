import {
  DEFAULT_RULES,
  type EventData,
  type EventType,
  parseDecimal,
  type Rational,
  type RecordedEvent,
  type RuleSet,
  reciprocal,
  resolveRuleSet,
} from '@referral-ledger/core';
import { normaliseDomain, normaliseEmail } from './normalise.ts';

/**
 * What the model keeps of an event's metadata: the privacy marks views read (`match`,
 * `erased`, SPEC §10). Events without them share one empty object; the id is on the fact.
 */
export interface FactMetadata {
  readonly match?: unknown;
  readonly erased?: boolean;
}

/**
 * A stored event as the views read it: type, data, global position, id and business time
 * (`at`, `occurredAt` in epoch ms) — one object per event, not the whole envelope. A replay
 * keeps every fact of the log in memory, so the stream id, revision, clocks and other
 * metadata, which no view reads, are not kept. `event` is the fact itself (a getter), so a
 * view reads `f.event.data` as it would a stored event's.
 */
export type Fact<T extends EventType = EventType> = {
  [K in T]: {
    readonly type: K;
    readonly data: EventData<K>;
    readonly position: number;
    readonly eventId: string;
    readonly metadata: FactMetadata;
    /** `occurredAt` in epoch ms. */
    readonly at: number;
    /** The fact itself. */
    readonly event: Fact<K>;
  };
}[T];

/** Where a figure came from: the event's id and global position (SPEC §8 Explain). */
export interface EventRef {
  readonly eventId: string;
  readonly position: number;
}

export function refOf(f: Fact): EventRef {
  return { eventId: f.eventId, position: f.position };
}

const NO_MARKS: FactMetadata = Object.freeze({});
/** An empty memo slot. */
const UNSET = Symbol('unset');
/**
 * Memo generations, unique across every model: a record handed to another model's `derived`
 * never matches that model's generation, so it never reads a slot filled by another model.
 */
let generations = 0;
function nextGeneration(): number {
  generations += 1;
  return generations;
}

/** The privacy marks of a metadata object, without its id, clocks, hash and field lists. */
function marksOf(m: RecordedEvent['metadata']): FactMetadata {
  if (m.erased === undefined) return { match: m.match };
  return m.match === undefined ? { erased: m.erased } : { match: m.match, erased: m.erased };
}

/**
 * A fact as the model stores it. `event` is a getter on the prototype returning the fact
 * itself: one field fewer per event, and `JSON.stringify` of a fact (or of a folded state
 * holding facts) sees no cycle.
 */
class StoredFact {
  readonly type: string;
  readonly data: unknown;
  readonly position: number;
  readonly eventId: string;
  readonly metadata: FactMetadata;
  readonly at: number;

  constructor(
    type: string,
    data: unknown,
    position: number,
    eventId: string,
    metadata: FactMetadata,
    at: number,
  ) {
    this.type = type;
    this.data = data;
    this.position = position;
    this.eventId = eventId;
    this.metadata = metadata;
    this.at = at;
  }

  get event(): this {
    return this;
  }
}

/** The fact kept for a stored event whose business time is `at`. */
function factOf(event: RecordedEvent, at: number): Fact {
  const m = event.metadata;
  return new StoredFact(
    event.type,
    event.data,
    event.position,
    m.eventId,
    m.match === undefined && m.erased === undefined ? NO_MARKS : marksOf(m),
    at,
  ) as unknown as Fact;
}

/** Anything with a business time and a log position. */
export interface Timed {
  readonly at: number;
  readonly position: number;
}

/** SPEC §11: events are ordered by `occurredAt`, then by log position. */
export function byTime(a: Timed, b: Timed): number {
  return a.at - b.at || a.position - b.position;
}

export interface ReplayOptions {
  /** Business-time cut-off (SPEC §8): keep events with `occurredAt ≤ asOf`; default now. */
  readonly asOf?: string | number | Date;
  /** Knowledge-time cut-off: keep events with `recordedAt ≤ knownAt`. */
  readonly knownAt?: string | number | Date;
  /** A rule set that applies to everything (what-if, `--rules`); its `effectiveFrom` is ignored. */
  readonly rules?: RuleSet;
}

function instant(v: string | number | Date): number {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new RangeError(`"${v}" is not a valid timestamp`);
  return t;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `Date.parse` for the stored form `YYYY-MM-DDTHH:MM:SS[.sss]Z` by integer arithmetic, with
 * `Date.parse` for anything else (offsets, other precisions, out-of-range fields), so the
 * result is always `Date.parse`'s. A replay parses one timestamp per event, and this is
 * several times faster than the general parser.
 *
 * @example parseInstant('2026-03-01T09:30:00Z') === Date.parse('2026-03-01T09:30:00Z')
 */
export function parseInstant(s: string): number {
  const n = s.length;
  if (
    (n === 20 || (n === 24 && s.charCodeAt(19) === 46)) &&
    s.charCodeAt(n - 1) === 90 && // Z
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 && // T
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58
  ) {
    const c = two(s, 0);
    const y2 = two(s, 2);
    const mo = two(s, 5);
    const d = two(s, 8);
    const h = two(s, 11);
    const mi = two(s, 14);
    const se = two(s, 17);
    let ms = 0;
    if (n === 24) {
      const a = two(s, 20);
      const b = s.charCodeAt(22) - 48;
      ms = a >= 0 && b >= 0 && b <= 9 ? a * 10 + b : -1;
    }
    if (c >= 0 && y2 >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23) {
      const y = c * 100 + y2;
      const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
      // Past the month's last day Date.parse rolls over: leave that to it.
      const monthDays = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
      if (d <= monthDays && mi >= 0 && mi <= 59 && se >= 0 && se <= 59 && ms >= 0) {
        // Days from 1970-01-01 to 1 January of y (proleptic Gregorian).
        const yd =
          365 * (y - 1970) +
          Math.floor((y - 1969) / 4) -
          Math.floor((y - 1901) / 100) +
          Math.floor((y - 1601) / 400);
        const days = yd + DAYS_BEFORE_MONTH[mo - 1]! + (leap && mo > 2 ? 1 : 0) + d - 1;
        return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + ms;
      }
    }
  }
  return Date.parse(s);
}

/**
 * Internal: the cache of `LedgerModel.derived` on the model's own records — the first two
 * folds asked of the model get a slot on the record (`memo0`, `memo1`, valid while
 * `memoGeneration` is the model's), the rest a Map.
 */
export interface RecordMemo {
  memoGeneration: number;
  memo0: unknown;
  memo1: unknown;
}

export interface PartnerRecord extends RecordMemo {
  readonly partnerId: string;
  enrolled?: Fact<'PartnerEnrolled'>;
  readonly facts: Fact<
    'PartnerEnrolled' | 'PartnerTierChanged' | 'PartnerSharingSet' | 'PartnerUpdated' | 'PartnerOffboarded'
  >[];
}

export interface ReferralRecord extends RecordMemo {
  readonly referralId: string;
  submitted?: Fact<'ReferralSubmitted'>;
  readonly facts: Fact[];
}

export interface OpportunityRecord extends RecordMemo {
  readonly opportunityId: string;
  opened?: Fact<'OpportunityOpened'>;
  readonly facts: Fact[];
}

export interface DisputeRecord {
  readonly disputeId: string;
  readonly facts: Fact<'AttributionDisputed' | 'DisputeResolved'>[];
}

export interface PayoutRecord {
  readonly payoutId: string;
  scheduled?: Fact<'PayoutScheduled'>;
  readonly facts: Fact<'PayoutScheduled' | 'PayoutSent' | 'PayoutFailed' | 'PayoutReversed'>[];
}

export interface ShareRecord {
  readonly shareId: string;
  shared?: Fact<'LeadShared'>;
  readonly facts: Fact<'LeadShared' | 'SharedLeadResponded' | 'SharedLeadOutcome'>[];
}

/** A resolved exchange rate and where it came from. */
export interface FxLookup {
  readonly rate: Rational;
  /** The rate as recorded (`"0.9"`); for a reciprocal, `1/<recorded>`. */
  readonly text: string;
  readonly reciprocal: boolean;
  readonly source: EventRef;
}

/** The last fact of a time-ordered list at or before `t` (binary search), or null. */
function latestAt<F extends Timed>(list: readonly F[] | undefined, t: number): F | null {
  if (!list) return null;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : list[lo - 1]!;
}

/**
 * A short list copied to its exact length. A list grown by `push` keeps room for at least
 * 17 items; a referral or deal has a handful of facts, and a replay keeps 100,000s of lists.
 */
function trimmed<T>(list: T[]): T[] {
  return list.length < 12 ? list.slice() : list;
}

function bucket<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/**
 * The log, filtered by as-of / known-at and indexed by entity, in one pass. Every view is
 * a pure function of this model (plus rules), so a replay reads the log once and each
 * report derives from the same facts. Apply events in any order; call `finish()` before
 * reading: it sorts every entity's facts by business time, then position (SPEC §11).
 *
 * @example
 * const model = buildModel(events, { asOf: '2026-03-01T00:00:00Z' });
 * model.rulesAt(Date.parse('2026-02-01T00:00:00Z')).attribution.model
 */
export class LedgerModel {
  readonly asOf: number;
  readonly knownAt: number | null;
  readonly callerRules: RuleSet | null;

  readonly partners = new Map<string, PartnerRecord>();
  readonly referrals = new Map<string, ReferralRecord>();
  readonly opportunities = new Map<string, OpportunityRecord>();
  readonly disputes = new Map<string, DisputeRecord>();
  /** `CommissionApproved` / `CommissionAdjusted` per opportunity. */
  readonly commissions = new Map<string, Fact<'CommissionApproved' | 'CommissionAdjusted'>[]>();
  readonly payouts = new Map<string, PayoutRecord>();
  readonly overlaps = new Map<string, Fact<'AccountOverlapDetected'>[]>();
  readonly shares = new Map<string, ShareRecord>();
  readonly subjects = new Map<string, Fact<'ConsentRecorded' | 'SubjectErased'>[]>();
  readonly advocates = new Map<string, Fact<'AdvocacySignalRecorded' | 'ReferralRequestSent'>[]>();
  readonly fx: Fact<'FxRateRecorded'>[] = [];
  readonly ruleSets: Fact<'RuleSetPublished'>[] = [];

  /** Events kept by the filters, and the last position seen (kept or not). */
  eventCount = 0;
  lastPosition = 0;
  #finished = false;
  readonly #resolved = new Map<Fact<'RuleSetPublished'>, RuleSet>();
  readonly #fxIndex = new Map<string, Fact<'FxRateRecorded'>[]>();
  /** Folds derived from records (`derived`), per fold function; dropped when the log changes. */
  #derived = new Map<unknown, Map<object, unknown>>();
  /** Slot of each fold in a record's memo, and the generation memos are valid for. */
  readonly #foldSlots = new Map<unknown, number>();
  #generation = nextGeneration();
  /** Parsed `effectiveFrom` of each publication (asked once per deal). */
  readonly #effectiveFrom = new Map<Fact<'RuleSetPublished'>, number>();
  /** Resolved rates, direct and reciprocal, per recorded rate (asked once per credit line). */
  readonly #fxDirect = new Map<Fact<'FxRateRecorded'>, FxLookup>();
  readonly #fxInverse = new Map<Fact<'FxRateRecorded'>, FxLookup>();

  constructor(options: ReplayOptions = {}) {
    this.asOf = options.asOf === undefined ? Date.now() : instant(options.asOf);
    this.knownAt = options.knownAt === undefined ? null : instant(options.knownAt);
    this.callerRules = options.rules ?? null;
  }

  /** Add one stored event (ignored when past the as-of or known-at cut-off). */
  apply(event: RecordedEvent): void {
    if (event.position > this.lastPosition) this.lastPosition = event.position;
    const at = parseInstant(event.metadata.occurredAt);
    if (at > this.asOf) return;
    if (this.knownAt !== null && parseInstant(event.metadata.recordedAt) > this.knownAt) return;
    if (this.#finished) {
      this.#finished = false;
      this.#derived = new Map();
      this.#generation = nextGeneration();
    }
    this.eventCount += 1;
    const f = factOf(event, at);
    const d = event.data as Record<string, string>;
    // Hot path of every replay: plain get/set, no closure per event.
    switch (event.type) {
      case 'RuleSetPublished':
        this.ruleSets.push(f as Fact<'RuleSetPublished'>);
        return;
      case 'PartnerEnrolled':
      case 'PartnerTierChanged':
      case 'PartnerSharingSet':
      case 'PartnerUpdated':
      case 'PartnerOffboarded': {
        const id = d.partnerId!;
        let p = this.partners.get(id);
        if (p === undefined) {
          p = {
            partnerId: id,
            memoGeneration: -1,
            memo0: undefined,
            memo1: undefined,
            facts: [],
          } as PartnerRecord;
          this.partners.set(id, p);
        }
        p.facts.push(f as PartnerRecord['facts'][number]);
        if (event.type === 'PartnerEnrolled' && !p.enrolled) p.enrolled = f as Fact<'PartnerEnrolled'>;
        return;
      }
      case 'ReferralSubmitted':
      case 'ReferralDuplicateFlagged':
      case 'ReferralFlagged':
      case 'ReferralAccepted':
      case 'ReferralRejected':
      case 'ReferralOwnerChanged':
      case 'ReferralContacted':
      case 'ReferralQualified':
      case 'ReferralConverted':
      case 'ReferralWithdrawn':
      case 'PartnerFeedbackSent': {
        const id = d.referralId!;
        let r = this.referrals.get(id);
        if (r === undefined) {
          r = {
            referralId: id,
            memoGeneration: -1,
            memo0: undefined,
            memo1: undefined,
            facts: [],
          } as ReferralRecord;
          this.referrals.set(id, r);
        }
        r.facts.push(f);
        if (event.type === 'ReferralSubmitted' && !r.submitted) r.submitted = f as Fact<'ReferralSubmitted'>;
        return;
      }
      case 'OpportunityOpened':
      case 'OpportunityValueChanged':
      case 'TouchpointRecorded':
      case 'OpportunityWon':
      case 'OpportunityLost':
      case 'OpportunityReopened':
      case 'RevenueReversed': {
        const id = d.opportunityId!;
        let o = this.opportunities.get(id);
        if (o === undefined) {
          o = {
            opportunityId: id,
            memoGeneration: -1,
            memo0: undefined,
            memo1: undefined,
            facts: [],
          } as OpportunityRecord;
          this.opportunities.set(id, o);
        }
        o.facts.push(f);
        if (event.type === 'OpportunityOpened' && !o.opened) o.opened = f as Fact<'OpportunityOpened'>;
        return;
      }
      case 'AttributionDisputed':
      case 'DisputeResolved':
        bucket(
          this.disputes,
          d.disputeId!,
          () => ({ disputeId: d.disputeId!, facts: [] }) as DisputeRecord,
        ).facts.push(f as DisputeRecord['facts'][number]);
        return;
      case 'CommissionApproved':
      case 'CommissionAdjusted':
        bucket(this.commissions, d.opportunityId!, () => []).push(
          f as Fact<'CommissionApproved' | 'CommissionAdjusted'>,
        );
        return;
      case 'PayoutScheduled':
      case 'PayoutSent':
      case 'PayoutFailed':
      case 'PayoutReversed': {
        const p = bucket(
          this.payouts,
          d.payoutId!,
          () => ({ payoutId: d.payoutId!, facts: [] }) as PayoutRecord,
        );
        p.facts.push(f as PayoutRecord['facts'][number]);
        if (event.type === 'PayoutScheduled' && !p.scheduled) p.scheduled = f as Fact<'PayoutScheduled'>;
        return;
      }
      case 'AccountOverlapDetected':
        bucket(this.overlaps, d.partnerId!, () => []).push(f as Fact<'AccountOverlapDetected'>);
        return;
      case 'LeadShared':
      case 'SharedLeadResponded':
      case 'SharedLeadOutcome': {
        const s = bucket(this.shares, d.shareId!, () => ({ shareId: d.shareId!, facts: [] }) as ShareRecord);
        s.facts.push(f as ShareRecord['facts'][number]);
        if (event.type === 'LeadShared' && !s.shared) s.shared = f as Fact<'LeadShared'>;
        return;
      }
      case 'ConsentRecorded':
      case 'SubjectErased':
        bucket(this.subjects, d.subjectId!, () => []).push(f as Fact<'ConsentRecorded' | 'SubjectErased'>);
        return;
      case 'AdvocacySignalRecorded':
      case 'ReferralRequestSent':
        bucket(this.advocates, d.partnerId!, () => []).push(
          f as Fact<'AdvocacySignalRecorded' | 'ReferralRequestSent'>,
        );
        return;
      case 'FxRateRecorded':
        this.fx.push(f as Fact<'FxRateRecorded'>);
        return;
      case 'GuardClaimed':
        // Facade-internal concurrency guard (docs/events.md): no business meaning.
        return;
      default: {
        const never: never = event;
        throw new Error(`unhandled event type ${(never as RecordedEvent).type}`);
      }
    }
  }

  /** Sort every entity's facts by business time, then position. Idempotent. */
  finish(): this {
    if (this.#finished) return this;
    const sortFacts = (facts: Timed[]) => {
      // A log is mostly in time order: only sort a list that is not (same order either way).
      for (let i = 1; i < facts.length; i++)
        if (byTime(facts[i - 1]!, facts[i]!) > 0) {
          facts.sort(byTime);
          return;
        }
    };
    for (const p of this.partners.values()) {
      sortFacts(p.facts);
      p.enrolled = p.facts.find((f) => f.event.type === 'PartnerEnrolled') as
        | Fact<'PartnerEnrolled'>
        | undefined;
    }
    for (const r of this.referrals.values()) {
      sortFacts(r.facts);
      (r as { facts: Fact[] }).facts = trimmed(r.facts);
      r.submitted = r.facts.find((f) => f.event.type === 'ReferralSubmitted') as
        | Fact<'ReferralSubmitted'>
        | undefined;
    }
    for (const o of this.opportunities.values()) {
      sortFacts(o.facts);
      (o as { facts: Fact[] }).facts = trimmed(o.facts);
      o.opened = o.facts.find((f) => f.event.type === 'OpportunityOpened') as
        | Fact<'OpportunityOpened'>
        | undefined;
    }
    for (const d of this.disputes.values()) sortFacts(d.facts);
    for (const c of this.commissions.values()) sortFacts(c);
    for (const p of this.payouts.values()) {
      sortFacts(p.facts);
      p.scheduled = p.facts.find((f) => f.event.type === 'PayoutScheduled') as
        | Fact<'PayoutScheduled'>
        | undefined;
    }
    for (const o of this.overlaps.values()) sortFacts(o);
    for (const s of this.shares.values()) {
      sortFacts(s.facts);
      s.shared = s.facts.find((f) => f.event.type === 'LeadShared') as Fact<'LeadShared'> | undefined;
    }
    for (const s of this.subjects.values()) sortFacts(s);
    for (const a of this.advocates.values()) sortFacts(a);
    sortFacts(this.fx);
    this.#fxIndex.clear();
    this.#fxDirect.clear();
    this.#fxInverse.clear();
    for (const f of this.fx)
      bucket(this.#fxIndex, `${f.event.data.base}/${f.event.data.quote}`, () => []).push(f);
    sortFacts(this.ruleSets);
    this.#derived = new Map();
    this.#generation = nextGeneration();
    this.#finished = true;
    return this;
  }

  /**
   * `fold(record)`, computed once per finished model: several views fold the same records
   * (a referral's deal is folded by the funnel, SLA, briefs, reviews and KPIs), so the folded
   * state is kept (by record) until the next event is applied. `fold` must be pure
   * and its result treated as read-only.
   *
   * @example model.derived(opportunityState, model.opportunities.get('O-1')!)
   */
  derived<K extends object, V>(fold: (record: K) => V, record: K): V {
    const slotted = record as Partial<RecordMemo>;
    if (slotted.memoGeneration !== undefined) {
      // The model's own records: a slot on the record for the first two folds, no hashing.
      let slot = this.#foldSlots.get(fold);
      // Only the first two folds asked get a slot; any other goes to the Map below.
      if (slot === undefined && this.#foldSlots.size < 2) {
        slot = this.#foldSlots.size;
        this.#foldSlots.set(fold, slot);
      }
      if (slot !== undefined) {
        const r = slotted as RecordMemo;
        if (r.memoGeneration !== this.#generation) {
          r.memoGeneration = this.#generation;
          r.memo0 = UNSET;
          r.memo1 = UNSET;
        }
        const hit = slot === 0 ? r.memo0 : r.memo1;
        if (hit !== UNSET) return hit as V;
        const v = fold(record);
        if (slot === 0) r.memo0 = v;
        else r.memo1 = v;
        return v;
      }
    }
    // Other folds and other objects: a plain Map (the model owns its records anyway): a WeakMap of
    // 100,000s of entries is slower to read and costly for the collector (ephemerons).
    let memo = this.#derived.get(fold) as Map<K, V> | undefined;
    if (memo === undefined) {
      memo = new Map<K, V>();
      this.#derived.set(fold, memo as Map<object, unknown>);
    }
    const hit = memo.get(record);
    if (hit !== undefined || memo.has(record)) return hit as V;
    const v = fold(record);
    memo.set(record, v);
    return v;
  }

  /**
   * The rule set in force at `t` (SPEC §4): the caller's, if given; else the published one
   * with the latest `effectiveFrom` ≤ t (ties: the later publication); else the defaults.
   */
  rulesAt(t: number): RuleSet {
    return this.ruleSetAt(t).rules;
  }

  /** Like `rulesAt`, with the publication it came from (`null` for caller rules or defaults). */
  ruleSetAt(t: number): { rules: RuleSet; source: Fact<'RuleSetPublished'> | null } {
    if (this.callerRules) return { rules: this.callerRules, source: null };
    let best: Fact<'RuleSetPublished'> | null = null;
    let bestFrom = Number.NEGATIVE_INFINITY;
    for (const f of this.ruleSets) {
      let from = this.#effectiveFrom.get(f);
      if (from === undefined) {
        from = Date.parse(f.event.data.effectiveFrom);
        this.#effectiveFrom.set(f, from);
      }
      if (
        from <= t &&
        (best === null || from > bestFrom || (from === bestFrom && f.event.position > best.event.position))
      ) {
        best = f;
        bestFrom = from;
      }
    }
    if (!best) return { rules: DEFAULT_RULES, source: null };
    let resolved = this.#resolved.get(best);
    if (!resolved) {
      const d = best.event.data;
      resolved = resolveRuleSet(
        { ...(d.rules as Record<string, unknown>), version: d.version, effectiveFrom: d.effectiveFrom },
        `rule set ${d.version}`,
      );
      this.#resolved.set(best, resolved);
    }
    return { rules: resolved, source: best };
  }

  /**
   * The rate converting `from` into `to` at `t` (SPEC §6.4): the latest `FxRateRecorded`
   * from → to at or before t, else the reciprocal of the latest to → from; null if none.
   */
  fxRate(from: string, to: string, t: number): FxLookup | null {
    if (from === to)
      return {
        rate: { num: 1n, den: 1n },
        text: '1',
        reciprocal: false,
        source: { eventId: '', position: 0 },
      };
    const direct = latestAt(this.#fxIndex.get(`${from}/${to}`), t);
    if (direct) {
      let hit = this.#fxDirect.get(direct);
      if (!hit) {
        hit = {
          rate: parseDecimal(direct.event.data.rate),
          text: direct.event.data.rate,
          reciprocal: false,
          source: refOf(direct),
        };
        this.#fxDirect.set(direct, hit);
      }
      return hit;
    }
    const inverse = latestAt(this.#fxIndex.get(`${to}/${from}`), t);
    if (inverse) {
      let hit = this.#fxInverse.get(inverse);
      if (!hit) {
        hit = {
          rate: reciprocal(parseDecimal(inverse.event.data.rate)),
          text: `1/${inverse.event.data.rate}`,
          reciprocal: true,
          source: refOf(inverse),
        };
        this.#fxInverse.set(inverse, hit);
      }
      return hit;
    }
    return null;
  }
}

/** Build a finished model from events in log order. */
export function buildModel(events: Iterable<RecordedEvent>, options: ReplayOptions = {}): LedgerModel {
  const model = new LedgerModel(options);
  for (const e of events) model.apply(e);
  return model.finish();
}

export { normaliseDomain, normaliseEmail };
