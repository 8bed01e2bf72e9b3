import { computeAttribution } from '../attribution/index.ts';
import { commissionReport, payoutsReport } from '../commission/index.ts';
import type { LedgerModel } from '../model.ts';
import { computeBriefs } from '../referrals/index.ts';
import { partnerState, tierAt } from '../state.ts';

type CommissionReportOf = ReturnType<typeof commissionReport>;
type PayoutsReportOf = ReturnType<typeof payoutsReport>;

/** One of the partner's referrals as its portal shows it. */
export interface PortalReferral {
  readonly referralId: string;
  readonly company: string;
  readonly submittedAt: string;
  readonly status: string;
  /** The lead was already registered (by whom is never said). */
  readonly alreadyRegistered: boolean;
  readonly opportunityId: string | null;
  readonly feedbackStatus: string;
}

/** A lead we shared with the partner, limited to the fields its sharing settings allow now. */
export interface PortalSharedLead {
  readonly shareId: string;
  readonly accountDomain: string;
  readonly sharedAt: string;
  readonly lead: Readonly<Record<string, unknown>>;
  readonly response: 'accepted' | 'declined' | null;
  readonly outcome: string | null;
}

/** An account both sides know, within the relationships the partner may see. */
export interface PortalOverlap {
  readonly accountDomain: string;
  readonly ourRelationship: string;
  readonly partnerRelationship: string;
  readonly source: string;
  readonly detectedAt: string;
}

/** Everything a partner portal shows one partner (SPEC §7): its own data, nothing of others. */
export interface PartnerView {
  readonly asOf: string;
  readonly partner: {
    readonly partnerId: string;
    readonly name: string;
    readonly program: string;
    readonly tier: string;
    readonly payoutCurrency: string;
  };
  readonly referrals: readonly PortalReferral[];
  readonly commission: CommissionReportOf['partners'][number] | null;
  readonly payouts: PayoutsReportOf['payouts'];
  readonly sharedLeads: readonly PortalSharedLead[];
  readonly overlaps: readonly PortalOverlap[];
}

/**
 * The partner-scoped query a partner portal calls: that partner's referrals and their
 * statuses (a duplicate says only that the lead was already registered), its commission
 * statement and lines (a deal shared with others shows only its own credit), its payouts,
 * the leads we shared with it (only the fields its current `leadFields` allow) and its
 * account overlaps (only relationships in its `overlapRelationships`; none until its sharing
 * settings are set). `null` for a partner that is not enrolled as of the model's T.
 *
 * @example const view = partnerView(buildModel(events, { asOf }), 'P-1');
 */
export function partnerView(model: LedgerModel, partnerId: string): PartnerView | null {
  const rec = model.partners.get(partnerId);
  const p = rec ? partnerState(rec) : null;
  if (!p) return null;
  const asOfMs = model.asOf;
  const referrals = computeBriefs(model, { partnerId }).map((b) => ({
    referralId: b.referralId,
    company: b.company,
    submittedAt: b.submittedAt,
    status: b.status,
    alreadyRegistered: b.duplicateOf !== null,
    opportunityId: b.opportunityId,
    feedbackStatus: b.feedbackStatus,
  }));
  const commission =
    commissionReport(model, computeAttribution(model), { partner: partnerId }).partners.find(
      (x) => x.partnerId === partnerId,
    ) ?? null;
  const payouts = payoutsReport(model, { partner: partnerId }).payouts.filter(
    (x) => x.partnerId === partnerId,
  );
  const leadFields = new Set(p.sharing?.leadFields ?? []);
  const sharedLeads: PortalSharedLead[] = [];
  for (const share of model.shares.values()) {
    const shared = share.shared;
    if (!shared || shared.event.data.partnerId !== partnerId) continue;
    let response: 'accepted' | 'declined' | null = null;
    let outcome: string | null = null;
    for (const f of share.facts) {
      if (f.event.type === 'SharedLeadResponded') response = f.event.data.response;
      if (f.event.type === 'SharedLeadOutcome') outcome = f.event.data.outcome;
    }
    const lead = Object.fromEntries(
      Object.entries(shared.event.data.lead as Record<string, unknown>).filter(([k]) => leadFields.has(k)),
    );
    sharedLeads.push({
      shareId: share.shareId,
      accountDomain: shared.event.data.accountDomain,
      sharedAt: new Date(shared.at).toISOString(),
      lead,
      response,
      outcome,
    });
  }
  const visible = new Set(p.sharing?.overlapRelationships ?? []);
  const latest = new Map<string, PortalOverlap>();
  for (const f of model.overlaps.get(partnerId) ?? []) {
    const d = f.event.data;
    latest.set(d.accountDomain, {
      accountDomain: d.accountDomain,
      ourRelationship: d.ourRelationship,
      partnerRelationship: d.partnerRelationship,
      source: d.source,
      detectedAt: new Date(f.at).toISOString(),
    });
  }
  const overlaps = [...latest.values()].filter((o) => visible.has(o.ourRelationship));
  return {
    asOf: new Date(model.asOf).toISOString(),
    partner: {
      partnerId,
      name: p.name,
      program: p.program,
      tier: tierAt(p, asOfMs),
      payoutCurrency: p.payoutCurrency,
    },
    referrals,
    commission,
    payouts,
    sharedLeads,
    overlaps,
  };
}
