import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import type { DuplicateOf, Lead, ReferralFlag } from '../events/referral.ts';
import { emailDomain, isFreeMail, leadDomain, normaliseDomain, normaliseEmail } from '../normalise.ts';
import type { DeepReadonly } from '../util/brand.ts';
import {
  type DecisionContext,
  type Decider,
  type EvolvingEvent,
  type PartnerFacts,
  type Registration,
  days,
  emit,
  refuse,
  requireActivePartner,
} from './decision.ts';

/** A referral folded from its stream; `null` until submitted. */
export type ReferralState = {
  readonly referralId: string;
  readonly partnerId: string;
  readonly submittedAt: string;
  readonly lead: DeepReadonly<Lead>;
  readonly decision: 'accepted' | 'rejected' | null;
  readonly withdrawn: boolean;
  readonly contacted: boolean;
  readonly qualified: boolean;
  readonly convertedTo: string | null;
  readonly flags: readonly ReferralFlag[];
  readonly duplicateOf: DeepReadonly<DuplicateOf> | null;
} | null;

export type ReferralCommand = CommandOf<
  | 'SubmitReferral'
  | 'AcceptReferral'
  | 'RejectReferral'
  | 'ChangeReferralOwner'
  | 'RecordReferralContact'
  | 'QualifyReferral'
  | 'ConvertReferral'
  | 'WithdrawReferral'
  | 'SendPartnerFeedback'
>;

function evolve(state: ReferralState, event: EvolvingEvent): ReferralState {
  if (event.type === 'ReferralSubmitted') {
    if (state) return state;
    return {
      referralId: event.data.referralId,
      partnerId: event.data.partnerId,
      submittedAt: event.metadata.occurredAt,
      lead: event.data.lead,
      decision: null,
      withdrawn: false,
      contacted: false,
      qualified: false,
      convertedTo: null,
      flags: [],
      duplicateOf: null,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'ReferralDuplicateFlagged':
      return { ...state, duplicateOf: state.duplicateOf ?? event.data.duplicateOf };
    case 'ReferralFlagged':
      return { ...state, flags: [...state.flags, event.data.flag] };
    case 'ReferralAccepted':
      return { ...state, decision: state.decision ?? 'accepted' };
    case 'ReferralRejected':
      return { ...state, decision: state.decision ?? 'rejected' };
    case 'ReferralContacted':
      return { ...state, contacted: true };
    case 'ReferralQualified':
      return { ...state, qualified: true };
    case 'ReferralConverted':
      return { ...state, convertedTo: state.convertedTo ?? event.data.opportunityId };
    case 'ReferralWithdrawn':
      return { ...state, withdrawn: true };
    default:
      return state;
  }
}

/** The registration status SPEC §5 cares about: rejected and withdrawn referrals register nothing. */
export function registrationStatus(state: NonNullable<ReferralState>): Registration['status'] {
  if (state.decision === 'rejected') return 'rejected';
  if (state.withdrawn) return 'withdrawn';
  return 'open';
}

/**
 * The earlier referral a new submission duplicates (SPEC §3.2, §5): one that registered the
 * lead's email or domain (per `registration.matchOn`, free-mail domains excluded), is neither
 * rejected nor withdrawn, and whose protection window [submittedAt, submittedAt +
 * protectionDays) contains `now`. The earliest such registration wins (by submission time,
 * then log position); `matchedOn` says whether its email matched, else its domain.
 */
export function findDuplicate(
  referralId: string,
  lead: DeepReadonly<Lead>,
  ctx: DecisionContext,
): { registration: Registration; matchedOn: 'email' | 'domain' } | null {
  const regs = ctx.registrations;
  if (!regs) return null;
  const { matchOn, protectionDays, freeMailDomains } = ctx.rules.registration;
  const now = Date.parse(ctx.now);
  const window = days(protectionDays);
  const live = (r: Registration) => {
    const at = Date.parse(r.submittedAt);
    return r.referralId !== referralId && r.status === 'open' && at <= now && now < at + window;
  };
  const byEmail = matchOn.includes('email') ? regs.email.filter(live) : [];
  const byDomain =
    matchOn.includes('domain') && leadDomain(lead, freeMailDomains) !== null ? regs.domain.filter(live) : [];
  let best: { registration: Registration; matchedOn: 'email' | 'domain' } | null = null;
  const consider = (r: Registration, matchedOn: 'email' | 'domain') => {
    const b = best?.registration;
    const earlier =
      !b ||
      Date.parse(r.submittedAt) < Date.parse(b.submittedAt) ||
      (Date.parse(r.submittedAt) === Date.parse(b.submittedAt) && r.position < b.position);
    if (earlier) best = { registration: r, matchedOn };
  };
  for (const r of byEmail) consider(r, 'email');
  for (const r of byDomain) if (!byEmail.some((e) => e.referralId === r.referralId)) consider(r, 'domain');
  return best;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * The quality flags of a submission (SPEC §6.5), in a fixed order: `self-referral` (the lead's
 * email is the partner's contact email, or the lead's domain is the partner's `domain` or its
 * contact email's non-free-mail domain — exact match, so a look-alike does not count),
 * `excluded-domain`, `existing-customer` (a won opportunity or a customer overlap on the
 * lead's domain), `incomplete` (a `fit.requiredLeadFields` field missing). Flags never reject.
 */
export function qualityFlags(
  lead: DeepReadonly<Lead>,
  partner: PartnerFacts,
  ctx: DecisionContext,
): { flag: ReferralFlag; detail: string }[] {
  const { freeMailDomains, excludedDomains } = ctx.rules.registration;
  const flags: { flag: ReferralFlag; detail: string }[] = [];
  const domain = leadDomain(lead, freeMailDomains);
  if (normaliseEmail(lead.email) === normaliseEmail(partner.contactEmail)) {
    flags.push({ flag: 'self-referral', detail: "the lead's email is the partner's own contact email" });
  } else if (domain !== null) {
    const own = new Set<string>();
    if (partner.domain) own.add(normaliseDomain(partner.domain));
    const contact = emailDomain(partner.contactEmail);
    if (contact && !isFreeMail(contact, freeMailDomains)) own.add(contact);
    if (own.has(domain)) {
      flags.push({
        flag: 'self-referral',
        detail: `the lead's domain ${domain} is the partner's own domain`,
      });
    }
  }
  if (domain !== null && excludedDomains.some((d) => normaliseDomain(d) === domain)) {
    flags.push({ flag: 'excluded-domain', detail: `${domain} is in registration.excludedDomains` });
  }
  if (domain !== null) {
    const facts = ctx.domain(domain);
    const reasons = [
      ...facts.wonOpportunityIds.map((o) => `won opportunity ${o}`),
      ...facts.customerOverlapPartnerIds.map((p) => `customer overlap reported by ${p}`),
    ];
    if (reasons.length > 0) {
      flags.push({
        flag: 'existing-customer',
        detail: `${domain} is already a customer (${reasons.join(', ')})`,
      });
    }
  }
  const missing = ctx.rules.fit.requiredLeadFields.filter((f) =>
    isMissing((lead as Readonly<Record<string, unknown>>)[f]),
  );
  if (missing.length > 0) {
    flags.push({ flag: 'incomplete', detail: `missing required lead field(s): ${missing.join(', ')}` });
  }
  return flags;
}

function requireReferral(state: ReferralState, referralId: string): NonNullable<ReferralState> {
  if (!state) {
    refuse('referral.not-found', `No referral ${referralId} was submitted; check the id or submit it first.`);
  }
  return state;
}

function requireOpen(state: NonNullable<ReferralState>, action: string): void {
  if (state.withdrawn) {
    refuse(
      'referral.withdrawn',
      `Referral ${state.referralId} was withdrawn; it cannot be ${action}. Ask the partner to submit it again if the lead is live.`,
    );
  }
  if (state.decision === 'rejected') {
    refuse(
      'referral.rejected',
      `Referral ${state.referralId} was rejected; it cannot be ${action}. A new submission is needed to reopen it.`,
    );
  }
}

function decide(command: ReferralCommand, state: ReferralState, ctx: DecisionContext): readonly NewEvent[] {
  switch (command.type) {
    case 'SubmitReferral': {
      const d = command.data;
      if (state) {
        refuse(
          'referral.already-submitted',
          `Referral ${d.referralId} was already submitted; give the new referral its own id.`,
        );
      }
      const partner = requireActivePartner(ctx, d.partnerId, 'referrer');
      const events = [emit('ReferralSubmitted', d, ctx)];
      const dup = findDuplicate(d.referralId, d.lead, ctx);
      if (dup) {
        events.push(
          emit(
            'ReferralDuplicateFlagged',
            {
              referralId: d.referralId,
              duplicateOf: { kind: 'referral', id: dup.registration.referralId },
              matchedOn: dup.matchedOn,
            },
            ctx,
          ),
        );
      }
      for (const f of qualityFlags(d.lead, partner, ctx)) {
        events.push(
          emit('ReferralFlagged', { referralId: d.referralId, flag: f.flag, detail: f.detail }, ctx),
        );
      }
      return events;
    }
    case 'AcceptReferral':
    case 'RejectReferral': {
      const s = requireReferral(state, command.data.referralId);
      if (s.decision === null) requireOpen(s, command.type === 'AcceptReferral' ? 'accepted' : 'rejected');
      if (s.decision !== null) {
        refuse(
          'referral.already-decided',
          `Referral ${s.referralId} was already ${s.decision}; a referral is decided once. Send the partner feedback instead, or submit a new referral.`,
        );
      }
      if (command.type === 'AcceptReferral') return [emit('ReferralAccepted', command.data, ctx)];
      const { referralId, reason, partnerExplanation, approvedBy } = command.data;
      if (!partnerExplanation?.trim() || !approvedBy?.trim()) {
        refuse(
          'referral.explanation-required',
          `Rejecting referral ${referralId} needs a partner-facing explanation approved by a partner manager: give partnerExplanation and approvedBy.`,
        );
      }
      return [emit('ReferralRejected', { referralId, reason, partnerExplanation, approvedBy }, ctx)];
    }
    case 'ChangeReferralOwner': {
      const s = requireReferral(state, command.data.referralId);
      requireOpen(s, 'reassigned');
      if (command.data.salesOwnerId === undefined && command.data.feedbackOwnerId === undefined) {
        refuse(
          'referral.nothing-to-change',
          `ChangeReferralOwner for ${s.referralId} names no owner; give salesOwnerId, feedbackOwnerId or both.`,
        );
      }
      return [emit('ReferralOwnerChanged', command.data, ctx)];
    }
    case 'RecordReferralContact': {
      const s = requireReferral(state, command.data.referralId);
      requireOpen(s, 'contacted');
      return [emit('ReferralContacted', command.data, ctx)];
    }
    case 'QualifyReferral': {
      const s = requireReferral(state, command.data.referralId);
      requireOpen(s, 'qualified');
      if (s.qualified) {
        refuse('referral.already-qualified', `Referral ${s.referralId} is already qualified; nothing to do.`);
      }
      return [emit('ReferralQualified', command.data, ctx)];
    }
    case 'ConvertReferral': {
      const s = requireReferral(state, command.data.referralId);
      requireOpen(s, 'converted');
      if (s.convertedTo !== null) {
        refuse(
          'referral.already-converted',
          `Referral ${s.referralId} was already converted to opportunity ${s.convertedTo}; a referral converts once.`,
        );
      }
      if (!ctx.opportunity(command.data.opportunityId)) {
        refuse(
          'opportunity.not-found',
          `No opportunity ${command.data.opportunityId} is open; open it first (OpenOpportunity), then convert the referral.`,
        );
      }
      return [emit('ReferralConverted', command.data, ctx)];
    }
    case 'WithdrawReferral': {
      const s = requireReferral(state, command.data.referralId);
      requireOpen(s, 'withdrawn');
      if (s.convertedTo !== null) {
        refuse(
          'referral.already-converted',
          `Referral ${s.referralId} was converted to opportunity ${s.convertedTo}; lose the opportunity instead of withdrawing the referral.`,
        );
      }
      return [emit('ReferralWithdrawn', command.data, ctx)];
    }
    case 'SendPartnerFeedback':
      requireReferral(state, command.data.referralId);
      return [emit('PartnerFeedbackSent', command.data, ctx)];
  }
}

/**
 * Referrals (stream `referral-<referralId>`): submission with the duplicate check and quality
 * flags, acceptance or rejection (once; a rejection needs an approved partner explanation),
 * owners, contact, qualification, conversion, withdrawal, partner feedback.
 */
export const referralDecider: Decider<ReferralState, ReferralCommand> = {
  initialState: () => null,
  evolve,
  decide,
};
