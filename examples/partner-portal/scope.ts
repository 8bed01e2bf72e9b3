import { formatMoney, reports } from '@referral-ledger/cli';
import type { LedgerModel } from '@referral-ledger/projections';
import { computeBriefs, computeFunnel, partnerExchange, partnerState } from '@referral-ledger/projections';

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
  readonly leads: ReturnType<typeof partnerExchange>['leads'];
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
 * What the partner `partnerId` may see, as of the model's time: every figure comes from a
 * builder run with `partner: partnerId` (the reports' partner-scoped view, SPEC §9), so no
 * other partner's rows are ever computed into a response. Returns null for an unknown partner.
 *
 * @example
 * (await partnerScope(model, 'P-NW'))?.referrals[0] // { referralId: 'R-0003', status: 'won', ... }
 */
export async function partnerScope(model: LedgerModel, partnerId: string): Promise<PartnerScope | null> {
  const rec = model.partners.get(partnerId);
  if (!rec) return null;
  const state = partnerState(rec);
  const asOf = new Date(model.asOf).toISOString();
  const referrals = computeBriefs(model, { partnerId }).map((b) => ({
    referralId: b.referralId,
    company: b.company,
    submittedAt: b.submittedAt,
    status: b.status,
    duplicate: b.duplicateOf !== null,
    nextStep: nextStepOf(b.status, b.nextAction),
  }));
  const commission = (await build('commission', model, asOf, partnerId)) as {
    partners: (PortalCommissions & { partnerId: string })[];
  };
  const own = commission.partners.find((p) => p.partnerId === partnerId);
  const currency = own?.currency ?? state?.payoutCurrency ?? 'USD';
  const statements = (await build('statements', model, asOf, partnerId)) as {
    partners: { partnerId: string; currency: string; months: PortalStatementMonth[] }[];
  };
  const statement = statements.partners.find((p) => p.partnerId === partnerId);
  const payouts = (await build('payouts', model, asOf, partnerId)) as {
    payouts: (PortalPayout & { partnerId: string })[];
  };
  return {
    partnerId,
    name: state?.name ?? partnerId,
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
    payouts: payouts.payouts
      .filter((p) => p.partnerId === partnerId)
      .map((p) => ({
        payoutId: p.payoutId,
        amount: p.amount,
        currency: p.currency,
        provider: p.provider,
        status: p.status,
        scheduledAt: p.scheduledAt,
        sentAt: p.sentAt,
        lines: p.lines,
      })),
    leads: partnerExchange(model, partnerId).leads,
  };
}

/** `1800000` in `USD` → `18,000.00 USD`. */
export const money = formatMoney;
