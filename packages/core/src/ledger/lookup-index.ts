import type { DecisionContext, Registration } from '../deciders/decision.ts';
import { opportunityDecider, type OpportunityState } from '../deciders/opportunity.ts';
import { partnerDecider, type PartnerState } from '../deciders/partner.ts';
import { payoutDecider, type PayoutState } from '../deciders/payout.ts';
import { referralDecider, registrationStatus, type ReferralState } from '../deciders/referral.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import { normaliseDomain, normaliseEmail, rawLeadDomain } from '../normalise.ts';
import { DEFAULT_RULES } from '../rules/defaults.ts';
import { resolveRuleSet } from '../rules/resolve.ts';
import type { RuleSet } from '../rules/schema.ts';
import type { EventStore } from '../store/types.ts';

/** Extra facts a caller adds to a decision context (computed with async work: hashes, policies). */
export type ContextExtras = Partial<
  Pick<DecisionContext, 'registrations' | 'subjectId' | 'payable' | 'advocateBlocked'>
>;

/** Which registrations to look up for a lead: plain keys and keyed-hash guard keys. */
export interface LeadLookup {
  /** Normalised email. */
  readonly email?: string | null;
  /** Normalised lead domain (already free-mail filtered), or null. */
  readonly domain?: string | null;
  /** `lead-<hash>` guard keys of the email and the domain (they survive erasure). */
  readonly emailKey?: string | null;
  readonly domainKey?: string | null;
}

type Publication = { event: RecordedEvent & { type: 'RuleSetPublished' }; resolved?: RuleSet };

function bucket<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let s = map.get(key);
  if (!s) {
    s = new Set();
    map.set(key, s);
  }
  return s;
}

/**
 * The cross-stream facts deciders need, kept up to date incrementally from the store's global
 * log: partners, referrals and the leads they registered (by normalised email and domain, and
 * by the keyed-hash keys of `GuardClaimed` events), opportunities and the domains they won,
 * customer overlaps, consent by subject, payouts by partner, and rule-set publications.
 * It folds with the deciders' own `evolve`, so a fact means the same here as in its stream.
 *
 * @example
 * const index = new LookupIndex();
 * await index.catchUp(store);
 * const ctx = index.context('2026-03-01T00:00:00Z');
 */
export class LookupIndex {
  #position = 0;
  #tail: Promise<void> = Promise.resolve();
  readonly #partners = new Map<string, PartnerState>();
  readonly #referrals = new Map<string, { state: ReferralState; position: number }>();
  readonly #leads = new Map<string, Set<string>>();
  readonly #opportunities = new Map<string, OpportunityState>();
  readonly #opportunitiesByDomain = new Map<string, Set<string>>();
  readonly #customerOverlaps = new Map<string, Set<string>>();
  readonly #consents = new Map<
    string,
    { scope: 'contact' | 'partner-sharing'; granted: boolean; at: number; position: number }[]
  >();
  readonly #payouts = new Map<string, PayoutState>();
  readonly #payoutsByPartner = new Map<string, Set<string>>();
  readonly #ruleSets: Publication[] = [];

  /** The last global position applied. */
  get position(): number {
    return this.#position;
  }

  /** Apply one stored event (in position order; events at or before `position` are skipped). */
  apply(e: RecordedEvent): void {
    if (e.position <= this.#position) return;
    this.#position = e.position;
    switch (e.type) {
      case 'PartnerEnrolled':
      case 'PartnerTierChanged':
      case 'PartnerSharingSet':
      case 'PartnerUpdated':
      case 'PartnerOffboarded': {
        const id = e.data.partnerId;
        this.#partners.set(id, partnerDecider.evolve(this.#partners.get(id) ?? null, e));
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
        const id = e.data.referralId;
        const prior = this.#referrals.get(id);
        const state = referralDecider.evolve(prior?.state ?? null, e);
        this.#referrals.set(id, { state, position: prior?.position ?? e.position });
        if (e.type === 'ReferralSubmitted' && !prior) {
          const lead = e.data.lead as { email?: string | null; website?: string | null };
          if (lead.email) bucket(this.#leads, `email:${normaliseEmail(lead.email)}`).add(id);
          const domain = rawLeadDomain(lead);
          if (domain) bucket(this.#leads, `domain:${domain}`).add(id);
        }
        return;
      }
      case 'GuardClaimed':
        if (e.data.key.startsWith('lead-')) bucket(this.#leads, e.data.key).add(e.data.claimedBy);
        return;
      case 'OpportunityOpened':
      case 'OpportunityValueChanged':
      case 'TouchpointRecorded':
      case 'OpportunityWon':
      case 'OpportunityLost':
      case 'OpportunityReopened':
      case 'RevenueReversed': {
        const id = e.data.opportunityId;
        const state = opportunityDecider.evolve(this.#opportunities.get(id) ?? null, e);
        this.#opportunities.set(id, state);
        if (state) bucket(this.#opportunitiesByDomain, state.accountDomain).add(id);
        return;
      }
      case 'AccountOverlapDetected':
        if (e.data.ourRelationship === 'customer') {
          bucket(this.#customerOverlaps, normaliseDomain(e.data.accountDomain)).add(e.data.partnerId);
        }
        return;
      case 'ConsentRecorded': {
        let list = this.#consents.get(e.data.subjectId);
        if (!list) {
          list = [];
          this.#consents.set(e.data.subjectId, list);
        }
        list.push({
          scope: e.data.scope,
          granted: e.data.granted,
          at: Date.parse(e.metadata.occurredAt),
          position: e.position,
        });
        return;
      }
      case 'PayoutScheduled':
      case 'PayoutSent':
      case 'PayoutFailed':
      case 'PayoutReversed': {
        const id = e.data.payoutId;
        const state = payoutDecider.evolve(this.#payouts.get(id) ?? null, e);
        this.#payouts.set(id, state);
        if (state) bucket(this.#payoutsByPartner, state.partnerId).add(id);
        return;
      }
      case 'RuleSetPublished':
        this.#ruleSets.push({ event: e });
        return;
      default:
        return;
    }
  }

  /**
   * Read the store from the last applied position to its head. Calls are serialised, so
   * concurrent decisions share one reader and no event is applied twice.
   */
  catchUp(store: Pick<EventStore, 'readAll'>): Promise<void> {
    const run = this.#tail.then(async () => {
      for (;;) {
        const page = await store.readAll({ after: this.#position, limit: 2000 });
        if (page.length === 0) return;
        for (const e of page) this.apply(e);
      }
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /**
   * The rule set in force at `at` (SPEC §4): the publication with the latest `effectiveFrom`
   * ≤ `at` (ties: the later in the log), else the defaults.
   */
  rulesAt(at: string): RuleSet {
    const t = Date.parse(at);
    let best: Publication | null = null;
    for (const r of this.#ruleSets) {
      const from = Date.parse(r.event.data.effectiveFrom);
      if (from <= t && (best === null || from >= Date.parse(best.event.data.effectiveFrom))) best = r;
    }
    if (!best) return DEFAULT_RULES;
    if (!best.resolved) {
      const d = best.event.data;
      best.resolved = resolveRuleSet(
        { ...(d.rules as Record<string, unknown>), version: d.version, effectiveFrom: d.effectiveFrom },
        `rule set ${d.version}`,
      );
    }
    return best.resolved;
  }

  /** Every earlier referral that registered the lead's email or domain, with its status. */
  registrations(lookup: LeadLookup): { email: Registration[]; domain: Registration[] } {
    const collect = (...keys: (string | null | undefined)[]): Registration[] => {
      const ids = new Set<string>();
      for (const k of keys) if (k) for (const id of this.#leads.get(k) ?? []) ids.add(id);
      const out: Registration[] = [];
      for (const id of ids) {
        const r = this.#referrals.get(id);
        if (!r?.state) continue;
        out.push({
          referralId: id,
          partnerId: r.state.partnerId,
          submittedAt: r.state.submittedAt,
          position: r.position,
          status: registrationStatus(r.state),
        });
      }
      return out;
    };
    return {
      email: collect(lookup.email ? `email:${lookup.email}` : null, lookup.emailKey),
      domain:
        lookup.domain || lookup.domainKey
          ? collect(lookup.domain ? `domain:${lookup.domain}` : null, lookup.domainKey)
          : [],
    };
  }

  /**
   * The latest consent a subject recorded for a scope at or before `at` — ordered by
   * business time, then log position (SPEC §11) — or `null` when none was recorded.
   */
  consentAt(subjectId: string, scope: 'contact' | 'partner-sharing', at: string): boolean | null {
    const t = Date.parse(at);
    let best: { granted: boolean; at: number; position: number } | null = null;
    for (const c of this.#consents.get(subjectId) ?? []) {
      if (c.scope !== scope || c.at > t) continue;
      if (!best || c.at > best.at || (c.at === best.at && c.position > best.position)) best = c;
    }
    return best ? best.granted : null;
  }

  /** A partner's state (offboarded or not), or `null` when never enrolled. */
  partner(partnerId: string): PartnerState {
    return this.#partners.get(partnerId) ?? null;
  }

  /** The decision context at `now`, with the extras the facade computed. */
  context(now: string, extras: ContextExtras = {}): DecisionContext {
    return {
      now,
      rules: this.rulesAt(now),
      partner: (id) => this.#partners.get(id) ?? null,
      opportunity: (id) => this.#opportunities.get(id) ?? null,
      domain: (domain) => {
        const won = [...(this.#opportunitiesByDomain.get(domain) ?? [])].filter(
          (id) => this.#opportunities.get(id)?.status === 'won',
        );
        return {
          wonOpportunityIds: won,
          customerOverlapPartnerIds: [...(this.#customerOverlaps.get(domain) ?? [])],
        };
      },
      consent: (subjectId, scope) => this.consentAt(subjectId, scope, now),
      ...extras,
    };
  }
}
