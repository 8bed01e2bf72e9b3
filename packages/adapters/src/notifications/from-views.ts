import type {
  PartnerStatement,
  ReferralBrief,
  ReferralSla,
  StatementLine,
} from '@referral-ledger/projections';
import {
  type EmailDraft,
  monthlyStatement,
  partnerStatusUpdate,
  type StatusUpdateInput,
  slaBreachEscalation,
} from './drafts.ts';

/**
 * Drafts straight from the projections' views: the referral brief, the SLA view and the
 * partner statement, so a host only picks recipients and a portal URL.
 */

const NEXT_STEPS: Readonly<Record<ReferralBrief['nextAction'], string>> = {
  none: 'none',
  'review-flags': 'our partner manager is reviewing the referral',
  decide: 'we are deciding whether to accept the referral',
  'first-contact': 'the owner will contact the lead',
  'send-feedback': 'we will send you feedback',
  convert: 'the owner will open an opportunity',
};

/**
 * The partner status update of one referral brief.
 * @example statusUpdateFromBrief(brief, { partner, portalUrl: `https://portal.example/r/${brief.referralId}` })
 */
export function statusUpdateFromBrief(
  brief: ReferralBrief,
  input: Omit<StatusUpdateInput, 'referral'> & {
    readonly ownerName?: string;
    readonly lastActivityAt?: string;
  },
): EmailDraft {
  const owner = input.ownerName ?? brief.salesOwnerId ?? undefined;
  return partnerStatusUpdate({
    partner: input.partner,
    referral: {
      referralId: brief.referralId,
      company: brief.company,
      status: brief.status,
      ...(owner ? { ownerName: owner } : {}),
      ...(input.lastActivityAt ? { lastActivityAt: input.lastActivityAt } : {}),
      nextSteps: NEXT_STEPS[brief.nextAction],
    },
    ...(input.outcome ? { outcome: input.outcome } : {}),
    ...(input.portalUrl ? { portalUrl: input.portalUrl } : {}),
  });
}

/**
 * One escalation per breach in the SLA view: first contact past its deadline, feedback past
 * its deadline, and stale referrals. `company` and `partnerName` come from the briefs and the
 * partners; `staleSince` gives when a stale referral went stale.
 */
export function slaEscalationsFromView(
  rows: readonly ReferralSla[],
  input: {
    readonly to: readonly string[];
    readonly asOf: string;
    readonly briefs: readonly ReferralBrief[];
    readonly partnerName: (partnerId: string) => string;
    readonly staleSince?: (referralId: string) => string | undefined;
  },
): EmailDraft[] {
  const briefs = new Map(input.briefs.map((b) => [b.referralId, b]));
  const out: EmailDraft[] = [];
  for (const r of rows) {
    const brief = briefs.get(r.referralId);
    const referral = {
      referralId: r.referralId,
      company: brief?.company ?? r.referralId,
      partnerName: input.partnerName(r.partnerId),
      submittedAt: r.submittedAt,
      ...(brief?.salesOwnerId ? { ownerName: brief.salesOwnerId } : {}),
    };
    const base = { to: input.to, referral, asOf: input.asOf };
    if (r.firstContactBreached === true && r.firstContactMinutes === null && r.firstContactDeadline) {
      out.push(slaBreachEscalation({ ...base, breach: 'first-contact', deadline: r.firstContactDeadline }));
    }
    if (r.feedbackBreached && r.feedbackMinutes === null && r.feedbackDeadline) {
      out.push(slaBreachEscalation({ ...base, breach: 'feedback', deadline: r.feedbackDeadline }));
    }
    if (r.stale) {
      out.push(
        slaBreachEscalation({
          ...base,
          breach: 'stale',
          deadline: input.staleSince?.(r.referralId) ?? input.asOf,
        }),
      );
    }
  }
  return out;
}

function describe(l: StatementLine): string {
  const what =
    l.kind === 'commission'
      ? `commission${l.schedule === 'recurring' ? `, year ${l.period ?? 1}` : ''}`
      : l.kind === 'payout-reversed'
        ? 'payout reversed'
        : l.kind;
  return l.reason ? `${what} (${l.reason})` : what;
}

/**
 * The monthly statement email of one month of a partner's statement (the `statements` view).
 * Returns undefined when the statement has no such month.
 */
export function statementDraftFromView(
  partner: { readonly name: string; readonly contactEmail: string },
  statement: PartnerStatement,
  month: string,
): EmailDraft | undefined {
  const m = statement.months.find((x) => x.month === month);
  if (!m) return undefined;
  return monthlyStatement({
    partner,
    month: m.month,
    currency: statement.currency,
    opening: m.opening,
    earned: m.earned,
    clawedBack: m.clawedBack,
    adjusted: m.adjusted,
    paid: m.paid,
    closing: m.closing,
    lines: m.lines.map((l) => ({
      opportunityId: l.opportunityId ?? l.payoutId ?? '',
      description: `${l.date.slice(0, 10)} ${describe(l)}`,
      amount: l.amount,
    })),
  });
}
