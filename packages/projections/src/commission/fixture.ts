/**
 * Test support for the commission module: a tiny log builder and hand-made attributions,
 * so commission tests state their facts (who was credited what) without running attribution.
 */
import {
  allocate,
  type EventType,
  type RecordedEvent,
  type RuleSet,
  resolveRuleSet,
} from '@referral-ledger/core';
import { buildModel, type LedgerModel } from '../model.ts';
import { opportunityState } from '../state.ts';
import type { CreditKind, CommissionAttribution } from './types.ts';

export class Log {
  readonly events: RecordedEvent[] = [];

  add(type: EventType, data: Record<string, unknown>, occurredAt: string): this {
    const n = this.events.length + 1;
    this.events.push({
      streamId: 'test',
      type,
      data,
      metadata: { eventId: `e-${n}`, occurredAt, recordedAt: occurredAt },
      revision: 0,
      position: n,
    } as unknown as RecordedEvent);
    return this;
  }

  partner(
    partnerId: string,
    at: string,
    o: { tier?: string; program?: string; payoutCurrency?: string; referredBy?: string } = {},
  ): this {
    return this.add(
      'PartnerEnrolled',
      {
        partnerId,
        name: partnerId,
        program: o.program ?? 'partner',
        tier: o.tier ?? 'bronze',
        contactEmail: `${partnerId.toLowerCase()}@example.com`,
        payoutCurrency: o.payoutCurrency ?? 'USD',
        ...(o.referredBy ? { referredBy: o.referredBy } : {}),
      },
      at,
    );
  }

  /** Open and win a deal: `value` in minor units of `currency`. */
  deal(
    opportunityId: string,
    openedAt: string,
    wonAt: string,
    value: number,
    o: { currency?: string; contractMonths?: number; attributes?: Record<string, string> } = {},
  ): this {
    const money = { amount: value, currency: o.currency ?? 'USD' };
    this.add(
      'OpportunityOpened',
      {
        opportunityId,
        accountDomain: `${opportunityId.toLowerCase()}.example`,
        accountName: opportunityId,
        value: money,
        ownerId: 'rep-1',
        ...(o.attributes ? { attributes: o.attributes } : {}),
      },
      openedAt,
    );
    return this.add(
      'OpportunityWon',
      { opportunityId, value: money, ...(o.contractMonths ? { contractMonths: o.contractMonths } : {}) },
      wonAt,
    );
  }

  reverse(opportunityId: string, at: string, amount: number, reason = 'refund', currency = 'USD'): this {
    return this.add('RevenueReversed', { opportunityId, value: { amount, currency }, reason }, at);
  }

  fx(base: string, quote: string, rate: string, at: string): this {
    return this.add('FxRateRecorded', { base, quote, rate, source: 'test' }, at);
  }
}

/** Rules: the defaults with `overrides` merged in (SPEC §4). */
export function rules(overrides: Record<string, unknown> = {}): RuleSet {
  return resolveRuleSet({ version: 'test', effectiveFrom: '2020-01-01T00:00:00Z', ...overrides });
}

export function model(log: Log, asOf: string, r: RuleSet = rules()): LedgerModel {
  return buildModel(log.events, { asOf, rules: r });
}

/** An attribution by hand: each credit's share of the deal's value, by largest remainder. */
export function credit(
  m: LedgerModel,
  opportunityId: string,
  credits: readonly { partyId: string; kind: CreditKind; share: number }[],
  o: { disputed?: boolean } = {},
): CommissionAttribution {
  const state = opportunityState(m.opportunities.get(opportunityId)!)!;
  const amounts = allocate(
    state.value.amount,
    credits.map((c) => ({ key: c.partyId, share: c.share })),
  );
  return {
    opportunityId,
    status: state.status,
    value: state.value,
    conflict: false,
    disputed: o.disputed ?? false,
    ruleVersion: 'test',
    credits: credits.map((c) => ({ ...c, amount: amounts.get(c.partyId)! })),
    sourcedPartyId: credits.find((c) => c.kind === 'sourced')?.partyId ?? null,
    closedAt: state.closedAt,
    state,
  };
}

/** Every won deal credited wholly (sourced) to one partner. */
export function soleSourced(m: LedgerModel, who: Record<string, string>): Map<string, CommissionAttribution> {
  const out = new Map<string, CommissionAttribution>();
  for (const [opp, partyId] of Object.entries(who))
    out.set(opp, credit(m, opp, [{ partyId, kind: 'sourced', share: 1 }]));
  return out;
}
