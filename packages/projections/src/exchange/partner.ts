import { isoUtc } from '../sla/iso.ts';
import type { LedgerModel } from '../model.ts';
import { normaliseDomain } from '../normalise.ts';
import { partnerState } from '../state.ts';

/** A lead we shared with the partner, as the partner may see it. */
export interface SharedLeadView {
  readonly shareId: string;
  readonly accountDomain: string;
  /** Only the fields the partner's `leadFields` allowed when it was shared (enforced by the command). */
  readonly lead: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly sharedAt: string;
  readonly response: 'accepted' | 'declined' | null;
  readonly respondedAt: string | null;
  readonly outcome: 'contacted' | 'qualified' | 'won' | 'lost' | null;
  readonly outcomeValue: { readonly amount: number; readonly currency: string } | null;
}

/** An account both we and the partner know, as far as the partner may see it. */
export interface OverlapView {
  readonly accountDomain: string;
  readonly ourRelationship: 'customer' | 'prospect' | 'opportunity';
  readonly partnerRelationship: 'customer' | 'prospect' | 'opportunity';
  readonly source: string;
  readonly detectedAt: string;
}

/** The exchange as one partner sees it (SPEC §7 partner-scoped view). */
export interface PartnerExchange {
  readonly partnerId: string;
  readonly leads: readonly SharedLeadView[];
  readonly overlaps: readonly OverlapView[];
}

/**
 * The exchange from one partner's side: the leads we shared with it (with its response and
 * the outcome it reported) and its account overlaps limited to its sharing settings'
 * `overlapRelationships` (an overlap shows only when our relationship to the account is one
 * we agreed to disclose; with no sharing settings, none). The latest overlap per account
 * wins. Nothing of any other partner is read into it.
 *
 * @example
 * partnerExchange(model, 'P-1').overlaps // [{ accountDomain: 'acme.example', ourRelationship: 'prospect', ... }]
 */
export function partnerExchange(model: LedgerModel, partnerId: string): PartnerExchange {
  const leads: SharedLeadView[] = [];
  for (const s of model.shares.values()) {
    const shared = s.shared;
    if (!shared || shared.event.data.partnerId !== partnerId) continue;
    let response: SharedLeadView['response'] = null;
    let respondedAt: string | null = null;
    let outcome: SharedLeadView['outcome'] = null;
    let outcomeValue: SharedLeadView['outcomeValue'] = null;
    for (const f of s.facts) {
      const ev = f.event;
      if (ev.type === 'SharedLeadResponded' && response === null) {
        response = ev.data.response;
        respondedAt = isoUtc(f.at);
      } else if (ev.type === 'SharedLeadOutcome') {
        outcome = ev.data.outcome;
        outcomeValue = ev.data.value ?? null;
      }
    }
    const d = shared.event.data;
    leads.push({
      shareId: d.shareId,
      accountDomain: normaliseDomain(d.accountDomain),
      lead: d.lead,
      reason: d.reason,
      sharedAt: isoUtc(shared.at),
      response,
      respondedAt,
      outcome,
      outcomeValue,
    });
  }
  leads.sort((a, b) =>
    a.sharedAt < b.sharedAt ? -1 : a.sharedAt > b.sharedAt ? 1 : a.shareId < b.shareId ? -1 : 1,
  );

  const rec = model.partners.get(partnerId);
  const allowed = new Set<string>((rec ? partnerState(rec) : null)?.sharing?.overlapRelationships ?? []);
  const latest = new Map<string, OverlapView>();
  for (const f of model.overlaps.get(partnerId) ?? []) {
    const d = f.event.data;
    if (d.partnerId !== partnerId) continue;
    const domain = normaliseDomain(d.accountDomain);
    if (d.ourRelationship === 'none' || !allowed.has(d.ourRelationship)) {
      latest.delete(domain); // a later, undisclosable relationship hides an earlier one
      continue;
    }
    latest.set(domain, {
      accountDomain: domain,
      ourRelationship: d.ourRelationship,
      partnerRelationship: d.partnerRelationship,
      source: d.source,
      detectedAt: isoUtc(f.at),
    });
  }
  const overlaps = [...latest.values()].sort((a, b) => (a.accountDomain < b.accountDomain ? -1 : 1));
  return { partnerId, leads, overlaps };
}
