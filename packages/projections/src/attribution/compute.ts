import { allocate, HOUSE, type RuleSet } from '@referral-ledger/core';
import { type Fact, type LedgerModel, refOf } from '../model.ts';
import { emailDomain, normaliseDomain, normaliseEmail, websiteHost } from '../normalise.ts';
import { type OpportunityState, opportunityState } from '../state.ts';
import { DAY } from '../time.ts';
import { type ModelOutput, modelShares } from './models.ts';
import type {
  AttributionExplanation,
  Credit,
  CreditKind,
  DisputeExplanation,
  OpportunityAttribution,
  RegistrationExplanation,
  RegistrationMatch,
  RegistrationOutcome,
  TouchExplanation,
} from './types.ts';
import { matchKeysOf } from '../match-keys.ts';

/** A registration (submitted referral) with its lead's match keys, normalised once. */
interface Registration {
  readonly state: RegistrationState;
  readonly email: string | null;
  /** Website host, else email domain. */
  readonly domain: string | null;
  /** True when `domain` came from the email (then a free-mail domain does not count). */
  readonly domainFromEmail: boolean;
}

/** What attribution needs of a referral, folded without the full `referralState`. */
interface RegistrationState {
  readonly referralId: string;
  readonly partnerId: string;
  readonly submitted: Fact<'ReferralSubmitted'>;
  readonly submittedAt: number;
  readonly rejected: boolean;
  readonly withdrawn: boolean;
}

/** Lookups from a deal to the registrations that may have sourced it. */
interface RegistrationIndex {
  readonly byDomain: Map<string, Registration[]>;
  readonly byEmail: Map<string, Registration[]>;
  readonly byConversion: Map<string, Registration[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

function indexRegistrations(model: LedgerModel): RegistrationIndex {
  const byDomain = new Map<string, Registration[]>();
  const byEmail = new Map<string, Registration[]>();
  const byConversion = new Map<string, Registration[]>();
  for (const rec of model.referrals.values()) {
    const submitted = rec.submitted;
    if (!submitted) continue;
    let rejected = false;
    let withdrawn = false;
    for (const f of rec.facts) {
      const t = f.event.type;
      if (t === 'ReferralRejected') rejected = true;
      else if (t === 'ReferralWithdrawn') withdrawn = true;
    }
    const lead = submitted.event.data.lead as { email?: unknown; website?: unknown };
    const plain = typeof lead.email === 'string' && lead.email !== '' ? normaliseEmail(lead.email) : null;
    // With privacy match keys, emails are compared as keyed hashes (they survive erasure).
    const keys = matchKeysOf(submitted.event.metadata);
    const email = keys.email ?? plain;
    const host = typeof lead.website === 'string' ? websiteHost(lead.website) : null;
    const domain = host ?? (plain ? emailDomain(plain) : keys.emailDomain);
    // One object per registration: it is its own `state` (118k of them in a 1M-event replay).
    const reg = {
      referralId: rec.referralId,
      partnerId: submitted.event.data.partnerId,
      submitted,
      submittedAt: submitted.at,
      rejected,
      withdrawn,
      email,
      domain,
      domainFromEmail: host === null,
      state: null as unknown as RegistrationState,
    };
    reg.state = reg;
    if (domain) push(byDomain, domain, reg);
    if (email) push(byEmail, email, reg);
    // Every conversion of the referral counts: a referral converted to O names O.
    for (const f of rec.facts)
      if (f.event.type === 'ReferralConverted') push(byConversion, f.event.data.opportunityId, reg);
  }
  return { byDomain, byEmail, byConversion };
}

/** Disputes by opportunity, each with its opening and resolutions in time order. */
interface DisputeCase {
  readonly disputeId: string;
  readonly opened: Fact<'AttributionDisputed'> | null;
  readonly resolutions: Fact<'DisputeResolved'>[];
}

function indexDisputes(model: LedgerModel): Map<string, DisputeCase[]> {
  const out = new Map<string, DisputeCase[]>();
  for (const rec of model.disputes.values()) {
    let opened: Fact<'AttributionDisputed'> | null = null;
    const resolutions: Fact<'DisputeResolved'>[] = [];
    let opportunityId: string | null = null;
    for (const f of rec.facts) {
      if (f.event.type === 'AttributionDisputed') {
        opened ??= f as Fact<'AttributionDisputed'>;
        opportunityId ??= f.event.data.opportunityId;
      } else {
        resolutions.push(f as Fact<'DisputeResolved'>);
        opportunityId ??= f.event.data.opportunityId;
      }
    }
    if (opportunityId !== null) push(out, opportunityId, { disputeId: rec.disputeId, opened, resolutions });
  }
  return out;
}

const REASONS: Record<RegistrationOutcome, string> = {
  sourced: 'earliest candidate registration: the sourced partner',
  later: 'registered after the sourced registration: a duplicate, earns nothing',
  'tie-lost': 'registered at the same time as the sourced registration but later in the log',
  rejected: 'the referral was rejected',
  withdrawn: 'the referral was withdrawn',
  'after-opening': 'submitted after the opportunity was opened (only a dispute resolution can credit it)',
  'window-lapsed': 'the protection window ended before the opportunity was opened',
};

function byTimePos(a: { at: number; position: number }, b: { at: number; position: number }): number {
  return a.at - b.at || a.position - b.position;
}

interface TouchRow {
  readonly partyId: string;
  readonly kind: 'sourced' | 'influenced' | 'resold';
  readonly at: number;
  readonly position: number;
  readonly origin: 'touchpoint' | 'registration';
  /** Same as `origin === 'registration'`, so rows serve the models as they are. */
  readonly registration: boolean;
  readonly activity: string | null;
  readonly counted: boolean;
  readonly excludedBecause: 'after-close' | 'before-lookback' | null;
  readonly fact: Fact;
}

const freeMailCache = new WeakMap<RuleSet, readonly string[]>();
function freeMailOf(rules: RuleSet): readonly string[] {
  let list = freeMailCache.get(rules);
  if (!list) {
    list = rules.registration.freeMailDomains.map(normaliseDomain);
    freeMailCache.set(rules, list);
  }
  return list;
}

/** The registrations considered for one deal, in the order first matched (a deal has a handful). */
type Considered = { r: Registration; matched: RegistrationMatch[] }[];

/** Add the registrations of `list` to those considered for a deal, noting how each matched. */
function consider(considered: Considered, list: Registration[] | undefined, how: RegistrationMatch): void {
  if (!list) return;
  outer: for (const r of list) {
    for (const c of considered)
      if (c.r === r) {
        if (!c.matched.includes(how)) c.matched.push(how);
        continue outer;
      }
    considered.push({ r, matched: [how] });
  }
}

const NO_PARTIES: ReadonlySet<string> = new Set();
const NO_CASES: readonly DisputeCase[] = [];

/** A credited party's kind: house, the sourced partner, a reseller, else an influencer. */
function kindOf(partyId: string, sourcedPartner: string | null, resold: ReadonlySet<string>): CreditKind {
  return partyId === HOUSE
    ? 'house'
    : partyId === sourcedPartner
      ? 'sourced'
      : resold.has(partyId)
        ? 'resold'
        : 'influenced';
}

type Verdict = { r: Registration; matched: RegistrationMatch[]; outcome: RegistrationOutcome };

/** What `explainAttribution` reads of one deal's attribution. */
interface ExplainParts {
  readonly cases: readonly DisputeCase[];
  readonly applied: Fact<'DisputeResolved'> | null;
  readonly rows: readonly TouchRow[];
  readonly out: ModelOutput;
  readonly verdicts: Verdict[];
  readonly protectionMs: number;
  readonly attr: RuleSet['attribution'];
  readonly rules: RuleSet;
  readonly ruleFact: Fact<'RuleSetPublished'> | null;
  readonly T: number;
  readonly reg: RuleSet['registration'];
}

/** The explanation of one deal's figures (SPEC §8 Explain), from the attribution's working data. */
function explainAttribution(p: ExplainParts): AttributionExplanation {
  const { cases, applied, rows, out, verdicts, protectionMs, attr, rules, ruleFact, T, reg } = p;
  const disputeRows: DisputeExplanation[] = cases.map((c) => {
    const last = c.resolutions[c.resolutions.length - 1] ?? null;
    const first = c.opened ?? c.resolutions[0]!;
    return {
      disputeId: c.disputeId,
      claimantPartnerId: c.opened ? c.opened.event.data.claimantPartnerId : '',
      openedAt: first.at,
      status: last ? last.event.data.decision : 'open',
      resolvedAt: last ? last.at : null,
      applied: applied !== null && c.resolutions.includes(applied),
      source: refOf(first),
      resolution: last ? refOf(last) : null,
    };
  });

  let ci = 0;
  const touches: TouchExplanation[] = rows.map((t) => {
    let weight = 0;
    if (t.counted) {
      weight = out.weights[ci] ?? 0;
      ci += 1;
    }
    return {
      partyId: t.partyId,
      kind: t.kind,
      at: t.at,
      origin: t.origin,
      activity: t.activity,
      counted: t.counted,
      excludedBecause: t.excludedBecause,
      weight,
      source: refOf(t.fact),
    };
  });
  const registrations: RegistrationExplanation[] = verdicts
    .sort(
      (a, b) =>
        a.r.state.submittedAt - b.r.state.submittedAt ||
        a.r.state.submitted.event.position - b.r.state.submitted.event.position,
    )
    .map((v) => ({
      referralId: v.r.state.referralId,
      partnerId: v.r.state.partnerId,
      submittedAt: v.r.state.submittedAt,
      windowFrom: v.r.state.submittedAt,
      windowTo: v.r.state.submittedAt + protectionMs,
      matchedOn: v.matched,
      candidate: v.outcome === 'sourced' || v.outcome === 'later' || v.outcome === 'tie-lost',
      outcome: v.outcome,
      reason: REASONS[v.outcome],
      source: refOf(v.r.state.submitted),
    }));

  return {
    model: attr.model,
    ruleVersion: rules.version,
    ruleSource: ruleFact ? refOf(ruleFact) : null,
    evaluatedAt: T,
    protectionDays: reg.protectionDays,
    lookbackDays: attr.lookbackDays,
    halfLifeDays: attr.halfLifeDays,
    sourcedShare: attr.sourcedShare,
    registrations,
    touches,
    computedShares: [...out.shares].map(([partyId, share]) => ({ partyId, share })),
    disputes: disputeRows,
  };
}

/** Attribute one opportunity; the indexes are built once per model. */
function attributeOne(
  model: LedgerModel,
  state: OpportunityState,
  regs: RegistrationIndex,
  disputes: Map<string, DisputeCase[]>,
  withExplanation: boolean,
  explainInputs: ExplainSource = new ExplainSource(model, { regs, disputes }),
): OpportunityAttribution {
  const T = state.closedAt ?? model.asOf;
  const { rules, source: ruleFact } = model.ruleSetAt(T);
  const reg = rules.registration;
  const attr = rules.attribution;
  const protectionMs = reg.protectionDays * DAY;

  // 1. Registrations that may have sourced the deal, and the verdict on each.
  const considered: Considered = [];
  consider(considered, regs.byConversion.get(state.opportunityId), 'converted');
  if (reg.matchOn.includes('domain') && state.accountDomain !== '') {
    const list = regs.byDomain.get(state.accountDomain);
    if (list) {
      const freeMail = freeMailOf(rules);
      consider(
        considered,
        list.some((r) => r.domainFromEmail && freeMail.includes(r.domain!))
          ? list.filter((r) => !(r.domainFromEmail && freeMail.includes(r.domain!)))
          : list,
        'domain',
      );
    }
  }
  if (reg.matchOn.includes('email'))
    for (const e of state.contactEmails) consider(considered, regs.byEmail.get(e), 'email');

  const verdicts: Verdict[] = [];
  const candidates: Verdict[] = [];
  for (const { r, matched } of considered) {
    const s = r.state;
    let outcome: RegistrationOutcome | null = null;
    if (s.rejected) outcome = 'rejected';
    else if (s.withdrawn) outcome = 'withdrawn';
    else if (s.submittedAt > state.openedAt) outcome = 'after-opening';
    else if (!matched.includes('converted') && state.openedAt >= s.submittedAt + protectionMs)
      outcome = 'window-lapsed';
    const v: Verdict = { r, matched, outcome: outcome ?? 'later' };
    verdicts.push(v);
    if (outcome === null) candidates.push(v);
  }
  candidates.sort(
    (a, b) =>
      a.r.state.submittedAt - b.r.state.submittedAt ||
      a.r.state.submitted.event.position - b.r.state.submitted.event.position,
  );
  const winner = candidates[0] ?? null;
  let conflict = false;
  if (winner) {
    winner.outcome = 'sourced';
    for (let i = 1; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (c.r.state.submittedAt === winner.r.state.submittedAt) {
        c.outcome = 'tie-lost';
        if (c.r.state.partnerId !== winner.r.state.partnerId) conflict = true;
      }
    }
  }
  const sourcedPartner = winner ? winner.r.state.partnerId : null;

  // 2. Touches: touchpoints plus the sourced registration, inside [T − lookback, T].
  const lookbackFrom = T - attr.lookbackDays * DAY;
  const rows: TouchRow[] = [];
  for (const f of state.touches) {
    const d = f.event.data;
    const excludedBecause = f.at > T ? 'after-close' : f.at < lookbackFrom ? 'before-lookback' : null;
    rows.push({
      partyId: d.partyId,
      kind: d.kind,
      at: f.at,
      position: f.event.position,
      origin: 'touchpoint',
      registration: false,
      activity: d.activity,
      counted: excludedBecause === null,
      excludedBecause,
      fact: f,
    });
  }
  if (winner) {
    const s = winner.r.state;
    const excludedBecause = s.submittedAt > T ? 'after-close' : null;
    rows.push({
      partyId: s.partnerId,
      kind: 'sourced',
      at: s.submittedAt,
      position: s.submitted.event.position,
      origin: 'registration',
      registration: true,
      activity: null,
      counted: excludedBecause === null,
      excludedBecause,
      fact: s.submitted,
    });
    rows.sort(byTimePos);
  }
  let counted: TouchRow[] = rows;
  if (rows.some((t) => !t.counted)) counted = rows.filter((t) => t.counted);
  const out = modelShares({
    model: attr.model,
    touches: counted,
    sourcedPartyId: sourcedPartner,
    at: T,
    halfLifeMs: attr.halfLifeDays * DAY,
    sourcedShare: attr.sourcedShare,
  });

  let resold: ReadonlySet<string> = NO_PARTIES;
  for (const t of counted)
    if (t.kind === 'resold') {
      if (resold === NO_PARTIES) resold = new Set<string>();
      (resold as Set<string>).add(t.partyId);
    }

  // 3. Disputes: open ones mark the deal; the latest upheld/split resolution replaces the credits.
  let disputed = false;
  let applied: Fact<'DisputeResolved'> | null = null;
  const cases = disputes.get(state.opportunityId) ?? NO_CASES;
  for (const c of cases) {
    if (c.opened && c.resolutions.length === 0) disputed = true;
    for (const r of c.resolutions) {
      if (r.event.data.decision === 'rejected') continue;
      if (
        applied === null ||
        r.at > applied.at ||
        (r.at === applied.at && r.event.position > applied.event.position)
      )
        applied = r;
    }
  }
  // Final shares (a resolution's, else the model's), then amounts by largest remainder.
  const finalShares: { partyId: string; share: number; kind: CreditKind }[] = [];
  if (applied) {
    for (const c of applied.event.data.credits ?? []) {
      const prev = finalShares.find((f) => f.partyId === c.partyId);
      if (prev) prev.share += c.share;
      else
        finalShares.push({
          partyId: c.partyId,
          share: c.share,
          kind: c.partyId === HOUSE ? 'house' : (c.kind ?? kindOf(c.partyId, sourcedPartner, resold)),
        });
    }
  } else {
    for (const [partyId, share] of out.shares)
      finalShares.push({ partyId, share, kind: kindOf(partyId, sourcedPartner, resold) });
  }
  let credits: Credit[];
  if (finalShares.length === 1 && finalShares[0]!.share > 0) {
    const f = finalShares[0]!;
    credits = [{ partyId: f.partyId, kind: f.kind, share: f.share, amount: state.value.amount }];
  } else {
    const positive = finalShares.filter((f) => f.share > 0);
    positive.sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0));
    const amounts = allocate(
      state.value.amount,
      positive.map((f) => ({ key: f.partyId, share: f.share })),
    );
    credits = positive.map((f) => ({
      partyId: f.partyId,
      kind: f.kind,
      share: f.share,
      amount: amounts.get(f.partyId) ?? 0,
    }));
  }
  let sourcedPartyId: string | null = null;
  let best = -1;
  for (const c of credits)
    if (c.kind === 'sourced' && c.share > best) {
      sourcedPartyId = c.partyId;
      best = c.share;
    }

  return new Attribution(
    {
      opportunityId: state.opportunityId,
      status: state.status,
      value: state.value,
      conflict,
      disputed,
      ruleVersion: rules.version,
      credits,
      sourcedPartyId,
      closedAt: state.closedAt,
      state,
    },
    withExplanation
      ? explainAttribution({
          cases,
          applied,
          rows,
          out,
          verdicts,
          protectionMs,
          attr,
          rules,
          ruleFact,
          T,
          reg,
        })
      : explainInputs,
  );
}

type AttributionFigures = Omit<OpportunityAttribution, 'explanation'>;

/**
 * What the deals' lazy explanations share: the model, and the registration and dispute
 * indexes, built again on the first explanation asked for. A replay computes 100,000s of
 * attributions and explains few: keeping the indexes (≈ 50 MiB at a million events) only for
 * them would hold them for the model's whole life.
 */
class ExplainSource {
  readonly model: LedgerModel;
  readonly #eventCount: number;
  #indexes: { regs: RegistrationIndex; disputes: Map<string, DisputeCase[]> } | null;

  constructor(
    model: LedgerModel,
    indexes: { regs: RegistrationIndex; disputes: Map<string, DisputeCase[]> } | null,
  ) {
    this.model = model;
    this.#eventCount = model.eventCount;
    this.#indexes = indexes;
  }

  indexes(): { regs: RegistrationIndex; disputes: Map<string, DisputeCase[]> } {
    if (this.model.eventCount !== this.#eventCount)
      throw new Error(
        'the model has changed since this attribution was computed: compute the attribution again to explain it',
      );
    this.#indexes ??= { regs: indexRegistrations(this.model), disputes: indexDisputes(this.model) };
    return this.#indexes;
  }
}

/**
 * One opportunity's attribution. The explanation is computed on first read, by
 * attributing the deal again with explanations on (deterministic, so it explains exactly
 * these figures): a replay of many deals reads few explanations, and keeping only the
 * shared indexes, not each deal's working data, keeps the replay's memory flat.
 */
class Attribution implements OpportunityAttribution {
  readonly opportunityId: string;
  readonly status: 'open' | 'won' | 'lost';
  readonly value: OpportunityAttribution['value'];
  readonly conflict: boolean;
  readonly disputed: boolean;
  readonly ruleVersion: string;
  readonly credits: readonly Credit[];
  readonly sourcedPartyId: string | null;
  readonly closedAt: number | null;
  readonly state: OpportunityState;
  #explanation: AttributionExplanation | ExplainSource;

  constructor(f: AttributionFigures, explanation: AttributionExplanation | ExplainSource) {
    this.opportunityId = f.opportunityId;
    this.status = f.status;
    this.value = f.value;
    this.conflict = f.conflict;
    this.disputed = f.disputed;
    this.ruleVersion = f.ruleVersion;
    this.credits = f.credits;
    this.sourcedPartyId = f.sourcedPartyId;
    this.closedAt = f.closedAt;
    this.state = f.state;
    this.#explanation = explanation;
  }

  get explanation(): AttributionExplanation {
    const x = this.#explanation;
    if (!(x instanceof ExplainSource)) return x;
    const { regs, disputes } = x.indexes();
    const e = attributeOne(x.model, this.state, regs, disputes, true).explanation;
    this.#explanation = e;
    return e;
  }
}

const cache = new WeakMap<LedgerModel, { count: number; result: Map<string, OpportunityAttribution> }>();

/**
 * The attribution of every opportunity in the model (SPEC §5): candidate registrations and
 * first-to-register with its protection window, touches inside the lookback, the rule
 * set's model (the publication in force at the close, or at T for an open deal), credit
 * kinds, disputes and their resolutions, and the value allocated in minor units by
 * largest remainder. The result is cached per model (a model is immutable once finished).
 *
 * @example
 * const model = buildModel(events, { asOf: '2026-03-01T00:00:00Z' });
 * computeAttribution(model).get('O-1')?.credits // [{partyId: 'P-1', kind: 'sourced', share: 1, amount: 12000000}]
 */
export function computeAttribution(model: LedgerModel): Map<string, OpportunityAttribution> {
  model.finish();
  const hit = cache.get(model);
  if (hit && hit.count === model.eventCount) return hit.result;
  const regs = indexRegistrations(model);
  const disputes = indexDisputes(model);
  const result = new Map<string, OpportunityAttribution>();
  // What every deal's lazy explanation shares (not the indexes: see ExplainSource).
  const inputs = new ExplainSource(model, null);
  for (const rec of model.opportunities.values()) {
    const state = model.derived(opportunityState, rec);
    if (!state) continue;
    result.set(state.opportunityId, attributeOne(model, state, regs, disputes, false, inputs));
  }
  cache.set(model, { count: model.eventCount, result });
  return result;
}

/** The rule set an opportunity is attributed under (SPEC §4): the one in force at its close, else at T. */
export function attributionRules(model: LedgerModel, state: OpportunityState): RuleSet {
  return model.rulesAt(state.closedAt ?? model.asOf);
}
