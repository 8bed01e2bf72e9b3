import { formatMoney, reports } from '@referral-ledger/cli';
import type { LedgerModel } from '@referral-ledger/projections';
import { computeBriefs, computeFunnel, partnerExchange, partnerView } from '@referral-ledger/projections';

/** A referral as its partner sees it: no internal owners, no ids of other partners' registrations. */
export interface PortalReferral {
  readonly referralId: string;
  readonly company: string;
  readonly submittedAt: string;
  readonly status: string;
  /** The ledger found an earlier registration of the same lead (whose, is not the partner's business). */
  readonly duplicate: boolean;
  readonly nextStep: string;
}

/** One commission line of the partner's own credited deals (SPEC §9 `commission` line shape). */
export interface PortalCommissionLine {
  readonly opportunityId: string;
  readonly kind: string;
  readonly tier: string;
  readonly currency: string;
  readonly credited: number;
  readonly rateBps: number;
  readonly commission: number;
  readonly clawedBack: number;
  readonly payoutAmount: number;
  readonly eligible: boolean;
  readonly reason?: string;
}

export interface PortalCommissions {
  readonly currency: string;
  readonly earned: number;
  readonly approved: number;
  readonly paid: number;
  readonly payable: number;
  readonly outstanding: number;
  readonly lines: readonly PortalCommissionLine[];
}

export interface PortalStatementMonth {
  readonly month: string;
  readonly opening: number;
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjusted: number;
  readonly paid: number;
  readonly closing: number;
}

export interface PortalPayout {
  readonly payoutId: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
  readonly provider: string;
  readonly status: string;
  readonly scheduledAt: string;
  readonly sentAt: string | null;
  readonly lines: readonly {
    readonly opportunityId: string;
    readonly amount: number;
    readonly currency: string;
  }[];
}

/** Everything one partner may see, computed from the model with that partner's id only. */
export interface PartnerScope {
  readonly partnerId: string;
  readonly name: string;
  readonly asOf: string;
  readonly referrals: readonly PortalReferral[];
  readonly funnel: Readonly<Record<string, number>>;
  readonly commissions: PortalCommissions;
  readonly statements: { readonly currency: string; readonly months: readonly PortalStatementMonth[] };
  readonly payouts: readonly PortalPayout[];
  /** Leads shared with the partner: only the lead fields its current `leadFields` allow. */
  readonly leads: readonly PortalLead[];
  /** Accounts we both know, limited to the partner's `overlapRelationships`. */
  readonly overlaps: readonly {
    readonly accountDomain: string;
    readonly ourRelationship: string;
    readonly partnerRelationship: string;
    readonly detectedAt: string;
  }[];
}

/** A shared lead as the partner sees it, with why we sent it. */
export interface PortalLead {
  readonly shareId: string;
  readonly accountDomain: string;
  readonly sharedAt: string;
  readonly lead: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly response: 'accepted' | 'declined' | null;
  readonly outcome: string | null;
}

const NEXT_STEPS: Record<string, string> = {
  'review-flags': 'We are checking a few details of this referral before deciding.',
  decide: 'We are reviewing your referral.',
  'first-contact': 'Accepted: our sales owner will contact the lead.',
  'send-feedback': 'We owe you feedback on this referral.',
  convert: 'Qualified: we are opening an opportunity.',
};
const STATUS_STEPS: Record<string, string> = {
  won: 'Won: see Commissions for what it earned you.',
  lost: 'Closed lost. Thank you for the referral.',
  rejected: 'Not accepted: your partner manager sent the reason.',
  withdrawn: 'Withdrawn.',
  converted: 'An opportunity is open: we will tell you when it closes.',
};

/** The partner-facing next step for a referral (the ops `nextAction` in partner words). */
export function nextStepOf(status: string, nextAction: string): string {
  return NEXT_STEPS[nextAction] ?? STATUS_STEPS[status] ?? 'Nothing to do right now.';
}

async function build(name: string, model: LedgerModel, asOf: string, partner: string): Promise<unknown> {
  const load = reports[name];
  if (!load) throw new Error(`no report ${name}`);
  return (await load()).default.build({ model, asOf, partner }).json;
}

/**
 * What the partner `partnerId` may see, as of the model's time. The core is the projections'
 * partner-scoped query, `partnerView` (referrals, commission, payouts, shared leads limited
 * to the partner's current `leadFields`, overlaps limited to its `overlapRelationships`);
 * the funnel and the monthly statements come from the report builders run with
 * `partner: partnerId` (the `--partner` view, SPEC §9). No other partner's rows are ever
 * computed into it. Returns null for a partner that is not enrolled.
 *
 * @example
 * (await partnerScope(model, 'P-NW'))?.referrals[0] // { referralId: 'R-0014', status: 'lost', ... }
 */
export async function partnerScope(model: LedgerModel, partnerId: string): Promise<PartnerScope | null> {
  const view = partnerView(model, partnerId);
  if (!view) return null;
  const asOf = view.asOf;
  // The ops next action per referral, put in partner words below (partnerView has the status only).
  const nextAction = new Map(computeBriefs(model, { partnerId }).map((b) => [b.referralId, b.nextAction]));
  const referrals = view.referrals.map((r) => ({
    referralId: r.referralId,
    company: r.company,
    submittedAt: r.submittedAt,
    status: r.status,
    duplicate: r.alreadyRegistered,
    nextStep: nextStepOf(r.status, nextAction.get(r.referralId) ?? 'none'),
  }));
  const own = view.commission;
  const currency = own?.currency ?? view.partner.payoutCurrency;
  const statements = (await build('statements', model, asOf, partnerId)) as {
    partners: { partnerId: string; currency: string; months: PortalStatementMonth[] }[];
  };
  const statement = statements.partners.find((p) => p.partnerId === partnerId);
  const reasons = new Map(partnerExchange(model, partnerId).leads.map((l) => [l.shareId, l.reason]));
  return {
    partnerId,
    name: view.partner.name,
    asOf,
    referrals,
    funnel: { ...computeFunnel(model, { partnerId }).stages },
    commissions: {
      currency,
      earned: own?.earned ?? 0,
      approved: own?.approved ?? 0,
      paid: own?.paid ?? 0,
      payable: own?.payable ?? 0,
      outstanding: own?.outstanding ?? 0,
      lines: (own?.lines ?? []).map((l) => ({
        opportunityId: l.opportunityId,
        kind: l.kind,
        tier: l.tier,
        currency: l.currency,
        credited: l.credited,
        rateBps: l.rateBps,
        commission: l.commission,
        clawedBack: l.clawedBack,
        payoutAmount: l.payoutAmount,
        eligible: l.eligible,
        ...(l.reason ? { reason: l.reason } : {}),
      })),
    },
    statements: {
      currency: statement?.currency ?? currency,
      months: (statement?.months ?? []).map((m) => ({
        month: m.month,
        opening: m.opening,
        earned: m.earned,
        clawedBack: m.clawedBack,
        adjusted: m.adjusted,
        paid: m.paid,
        closing: m.closing,
      })),
    },
    payouts: view.payouts.map((p) => ({
      payoutId: p.payoutId,
      amount: p.amount,
      currency: p.currency,
      provider: p.provider,
      status: p.status,
      scheduledAt: p.scheduledAt,
      sentAt: p.sentAt,
      lines: p.lines,
    })),
    leads: [...view.sharedLeads]
      .sort((a, b) =>
        a.sharedAt === b.sharedAt ? (a.shareId < b.shareId ? -1 : 1) : a.sharedAt < b.sharedAt ? -1 : 1,
      )
      .map((l) => ({ ...l, reason: reasons.get(l.shareId) ?? '' })),
    overlaps: view.overlaps.map((o) => ({
      accountDomain: o.accountDomain,
      ourRelationship: o.ourRelationship,
      partnerRelationship: o.partnerRelationship,
      detectedAt: o.detectedAt,
    })),
  };
}

/** `1800000` in `USD` → `18,000.00 USD`. */
export const money = formatMoney;
