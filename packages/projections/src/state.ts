import type { Money, Tier } from '@referral-ledger/core';
import type { Fact, OpportunityRecord, PartnerRecord, PayoutRecord, ReferralRecord } from './model.ts';
import { normaliseDomain, normaliseEmail } from './normalise.ts';
import { matchKeysOf } from './match-keys.ts';

/** A partner folded from its stream up to the model's cut-off. */
export interface PartnerState {
  readonly partnerId: string;
  readonly name: string;
  readonly program: 'partner' | 'customer' | 'employee';
  readonly contactEmail: string;
  readonly payoutCurrency: string;
  readonly domain: string | null;
  readonly managerId: string | null;
  readonly customerSince: string | null;
  readonly referredBy: string | null;
  readonly enrolledAt: number;
  readonly offboardedAt: number | null;
  /** Tier over time: the tier from `at` on, in time order (enrolment first). */
  readonly tiers: readonly { readonly at: number; readonly tier: Tier; readonly fact: Fact }[];
  readonly sharing: {
    readonly leadFields: readonly string[];
    readonly overlapRelationships: readonly string[];
  } | null;
  readonly enrolled: Fact<'PartnerEnrolled'>;
}

/** Fold a partner; `null` when it was never enrolled (as of the cut-off). */
export function partnerState(rec: PartnerRecord): PartnerState | null {
  const enrolled = rec.enrolled;
  if (!enrolled) return null;
  const e = enrolled.event.data;
  let name: string = e.name;
  let contactEmail: string = e.contactEmail;
  let payoutCurrency: string = e.payoutCurrency;
  let domain: string | null = e.domain ?? null;
  let managerId: string | null = e.managerId ?? null;
  let offboardedAt: number | null = null;
  let sharing: PartnerState['sharing'] = null;
  const tiers: { at: number; tier: Tier; fact: Fact }[] = [{ at: enrolled.at, tier: e.tier, fact: enrolled }];
  for (const f of rec.facts) {
    const ev = f.event;
    switch (ev.type) {
      case 'PartnerTierChanged':
        tiers.push({ at: f.at, tier: ev.data.tier, fact: f });
        break;
      case 'PartnerUpdated':
        name = ev.data.name ?? name;
        contactEmail = ev.data.contactEmail ?? contactEmail;
        payoutCurrency = ev.data.payoutCurrency ?? payoutCurrency;
        domain = ev.data.domain ?? domain;
        managerId = ev.data.managerId ?? managerId;
        break;
      case 'PartnerSharingSet':
        sharing = { leadFields: ev.data.leadFields, overlapRelationships: ev.data.overlapRelationships };
        break;
      case 'PartnerOffboarded':
        offboardedAt ??= f.at;
        break;
      default:
        break;
    }
  }
  return {
    partnerId: rec.partnerId,
    name,
    program: e.program,
    contactEmail,
    payoutCurrency,
    domain,
    managerId,
    customerSince: e.customerSince ?? null,
    referredBy: e.referredBy ?? null,
    enrolledAt: enrolled.at,
    offboardedAt,
    tiers,
    sharing,
    enrolled,
  };
}

/** The partner's tier at `t` (the last tier change at or before t). */
export function tierAt(p: PartnerState, t: number): Tier {
  let tier = p.tiers[0]!.tier;
  for (const x of p.tiers) {
    if (x.at <= t) tier = x.tier;
    else break;
  }
  return tier;
}

export type OpportunityStatus = 'open' | 'won' | 'lost';

/** An opportunity folded from its stream (SPEC §5: the first terminal event decides it). */
export interface OpportunityState {
  readonly opportunityId: string;
  readonly opened: Fact<'OpportunityOpened'>;
  readonly openedAt: number;
  readonly accountDomain: string;
  readonly accountName: string;
  readonly contactEmails: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly ownerId: string;
  readonly status: OpportunityStatus;
  /** Current value: the won value once won; else the latest value (a lost deal's last value). */
  readonly value: Money;
  /** The terminal event in force (won or lost), if any. */
  readonly close: Fact<'OpportunityWon' | 'OpportunityLost'> | null;
  readonly closedAt: number | null;
  readonly contractMonths: number;
  readonly touches: readonly Fact<'TouchpointRecorded'>[];
  readonly reversals: readonly Fact<'RevenueReversed'>[];
  readonly lostReason: string | null;
}

// Shared empties: a replay folds every deal, and most have no contacts, attributes or
// reversals; one frozen empty instead of one allocation per deal keeps the folded states small.
const NONE: readonly never[] = Object.freeze([]);
/**
 * A folded list as kept: the shared empty, or a short list copied to its length (a list
 * grown by `push` keeps room for 17 items, and a replay keeps 100,000s of folded states).
 */
function exact<T>(list: T[] | null): readonly T[] {
  return list === null ? NONE : list.length < 12 ? list.slice() : list;
}
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/** Fold an opportunity; `null` when it was never opened (as of the cut-off). */
export function opportunityState(rec: OpportunityRecord): OpportunityState | null {
  const opened = rec.opened;
  if (!opened) return null;
  const o = opened.event.data;
  let status: OpportunityStatus = 'open';
  let value: Money = o.value;
  let close: Fact<'OpportunityWon' | 'OpportunityLost'> | null = null;
  let contractMonths = 12;
  let lostReason: string | null = null;
  let touches: Fact<'TouchpointRecorded'>[] | null = null;
  let reversals: Fact<'RevenueReversed'>[] | null = null;
  for (const f of rec.facts) {
    const ev = f.event;
    switch (ev.type) {
      case 'OpportunityValueChanged':
        if (status === 'open') value = ev.data.value;
        break;
      case 'TouchpointRecorded':
        if (touches === null) touches = [];
        touches.push(f as Fact<'TouchpointRecorded'>);
        break;
      case 'OpportunityWon':
        if (status === 'open') {
          status = 'won';
          value = ev.data.value;
          close = f as Fact<'OpportunityWon'>;
          contractMonths = ev.data.contractMonths ?? 12;
        }
        break;
      case 'OpportunityLost':
        if (status === 'open') {
          status = 'lost';
          close = f as Fact<'OpportunityLost'>;
          lostReason = ev.data.reason;
        }
        break;
      case 'OpportunityReopened':
        if (status !== 'open') {
          status = 'open';
          close = null;
          lostReason = null;
          contractMonths = 12;
        }
        break;
      case 'RevenueReversed':
        if (reversals === null) reversals = [];
        reversals.push(f as Fact<'RevenueReversed'>);
        break;
      default:
        break;
    }
  }
  return {
    opportunityId: rec.opportunityId,
    opened,
    openedAt: opened.at,
    accountDomain: normaliseDomain(o.accountDomain),
    accountName: o.accountName,
    contactEmails:
      matchKeysOf(opened.event.metadata).contactEmails ??
      (o.contactEmails && o.contactEmails.length > 0 ? o.contactEmails.map(normaliseEmail) : NONE),
    attributes: o.attributes ?? NO_ATTRIBUTES,
    ownerId: o.ownerId,
    status,
    value,
    close,
    closedAt: close ? close.at : null,
    contractMonths,
    touches: exact(touches),
    reversals: exact(reversals),
    lostReason,
  };
}

export type ReferralStatus =
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'withdrawn'
  | 'contacted'
  | 'qualified'
  | 'converted';

/** A referral folded from its stream. */
export interface ReferralState {
  readonly referralId: string;
  readonly partnerId: string;
  readonly submitted: Fact<'ReferralSubmitted'>;
  readonly submittedAt: number;
  readonly duplicates: readonly Fact<'ReferralDuplicateFlagged'>[];
  readonly flags: readonly Fact<'ReferralFlagged'>[];
  readonly accepted: Fact<'ReferralAccepted'> | null;
  readonly rejected: Fact<'ReferralRejected'> | null;
  readonly withdrawn: Fact<'ReferralWithdrawn'> | null;
  readonly contacted: Fact<'ReferralContacted'> | null;
  readonly qualified: Fact<'ReferralQualified'> | null;
  readonly converted: Fact<'ReferralConverted'> | null;
  readonly feedback: readonly Fact<'PartnerFeedbackSent'>[];
  readonly salesOwnerId: string | null;
  readonly feedbackOwnerId: string | null;
  /** Lifecycle status from the referral's own events (the deal's outcome is added by views). */
  readonly status: ReferralStatus;
  /** The last event of the referral's stream. */
  readonly last: Fact;
}

/** Fold a referral; `null` when it was never submitted (as of the cut-off). */
export function referralState(rec: ReferralRecord): ReferralState | null {
  const submitted = rec.submitted;
  if (!submitted) return null;
  // Allocated on the first fact of their kind: most referrals have no flag or duplicate.
  let duplicates: Fact<'ReferralDuplicateFlagged'>[] | null = null;
  let flags: Fact<'ReferralFlagged'>[] | null = null;
  let feedback: Fact<'PartnerFeedbackSent'>[] | null = null;
  let accepted: Fact<'ReferralAccepted'> | null = null;
  let rejected: Fact<'ReferralRejected'> | null = null;
  let withdrawn: Fact<'ReferralWithdrawn'> | null = null;
  let contacted: Fact<'ReferralContacted'> | null = null;
  let qualified: Fact<'ReferralQualified'> | null = null;
  let converted: Fact<'ReferralConverted'> | null = null;
  let salesOwnerId: string | null = null;
  let feedbackOwnerId: string | null = null;
  for (const f of rec.facts) {
    const ev = f.event;
    switch (ev.type) {
      case 'ReferralDuplicateFlagged':
        if (duplicates === null) duplicates = [];
        duplicates.push(f as Fact<'ReferralDuplicateFlagged'>);
        break;
      case 'ReferralFlagged':
        if (flags === null) flags = [];
        flags.push(f as Fact<'ReferralFlagged'>);
        break;
      case 'ReferralAccepted':
        accepted ??= f as Fact<'ReferralAccepted'>;
        salesOwnerId = ev.data.salesOwnerId;
        feedbackOwnerId = ev.data.feedbackOwnerId;
        break;
      case 'ReferralRejected':
        rejected ??= f as Fact<'ReferralRejected'>;
        break;
      case 'ReferralWithdrawn':
        withdrawn ??= f as Fact<'ReferralWithdrawn'>;
        break;
      case 'ReferralOwnerChanged':
        salesOwnerId = ev.data.salesOwnerId ?? salesOwnerId;
        feedbackOwnerId = ev.data.feedbackOwnerId ?? feedbackOwnerId;
        break;
      case 'ReferralContacted':
        contacted ??= f as Fact<'ReferralContacted'>;
        break;
      case 'ReferralQualified':
        qualified ??= f as Fact<'ReferralQualified'>;
        break;
      case 'ReferralConverted':
        converted ??= f as Fact<'ReferralConverted'>;
        break;
      case 'PartnerFeedbackSent':
        if (feedback === null) feedback = [];
        feedback.push(f as Fact<'PartnerFeedbackSent'>);
        break;
      default:
        break;
    }
  }
  const status: ReferralStatus = withdrawn
    ? 'withdrawn'
    : rejected
      ? 'rejected'
      : converted
        ? 'converted'
        : qualified
          ? 'qualified'
          : contacted
            ? 'contacted'
            : accepted
              ? 'accepted'
              : 'submitted';
  return {
    referralId: rec.referralId,
    partnerId: submitted.event.data.partnerId,
    submitted,
    submittedAt: submitted.at,
    duplicates: exact(duplicates),
    flags: exact(flags),
    accepted,
    rejected,
    withdrawn,
    contacted,
    qualified,
    converted,
    feedback: exact(feedback),
    salesOwnerId,
    feedbackOwnerId,
    status,
    last: rec.facts[rec.facts.length - 1]!,
  };
}

export type PayoutStatus = 'scheduled' | 'sent' | 'failed' | 'reversed';

/** A payout folded from its stream. */
export interface PayoutState {
  readonly payoutId: string;
  readonly scheduled: Fact<'PayoutScheduled'>;
  readonly status: PayoutStatus;
  /** When it was sent (counts as paid from then on, unless failed or reversed later). */
  readonly sentAt: number | null;
  readonly statusAt: number;
}

export function payoutState(rec: PayoutRecord): PayoutState | null {
  const scheduled = rec.scheduled;
  if (!scheduled) return null;
  let status: PayoutStatus = 'scheduled';
  let sentAt: number | null = null;
  let statusAt = scheduled.at;
  for (const f of rec.facts) {
    switch (f.event.type) {
      case 'PayoutSent':
        if (status === 'scheduled') {
          status = 'sent';
          sentAt = f.at;
          statusAt = f.at;
        }
        break;
      case 'PayoutFailed':
        if (status === 'scheduled' || status === 'sent') {
          status = 'failed';
          statusAt = f.at;
        }
        break;
      case 'PayoutReversed':
        if (status === 'sent') {
          status = 'reversed';
          statusAt = f.at;
        }
        break;
      default:
        break;
    }
  }
  return { payoutId: rec.payoutId, scheduled, status, sentAt, statusAt };
}
