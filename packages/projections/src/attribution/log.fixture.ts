import type { EventData, EventType, RecordedEvent, RuleSet } from '@referral-ledger/core';
import { resolveRuleSet } from '@referral-ledger/core';

/**
 * A tiny log builder for tests: events get positions in the order they are added, ids
 * from their position, and `recordedAt` = `occurredAt` unless given.
 */
export class LogBuilder {
  readonly events: RecordedEvent[] = [];

  add(
    type: EventType,
    streamId: string,
    data: object,
    occurredAt: string,
    recordedAt: string = occurredAt,
  ): this {
    const position = this.events.length + 1;
    this.events.push({
      streamId,
      type,
      data,
      metadata: {
        eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
        occurredAt,
        recordedAt,
      },
      revision: 0,
      position,
    } as unknown as RecordedEvent);
    return this;
  }

  partner(id: string, at = '2026-01-01T00:00:00Z', tier: 'bronze' | 'silver' | 'gold' = 'silver'): this {
    return this.add(
      'PartnerEnrolled',
      `partner-${id}`,
      {
        partnerId: id,
        name: `Partner ${id}`,
        program: 'partner',
        tier,
        contactEmail: `${id.toLowerCase()}@partners.example`,
        payoutCurrency: 'USD',
      } as EventData<'PartnerEnrolled'>,
      at,
    );
  }

  referral(id: string, partnerId: string, at: string, lead: { email: string; website?: string }): this {
    return this.add(
      'ReferralSubmitted',
      `referral-${id}`,
      {
        referralId: id,
        partnerId,
        channel: 'portal',
        lead: { firstName: 'Ann', lastName: 'Lee', company: 'Co', ...lead },
      } as EventData<'ReferralSubmitted'>,
      at,
    );
  }

  open(
    id: string,
    at: string,
    amount: number,
    opts: { domain?: string; emails?: string[]; currency?: string } = {},
  ): this {
    return this.add(
      'OpportunityOpened',
      `opportunity-${id}`,
      {
        opportunityId: id,
        accountDomain: opts.domain ?? `${id.toLowerCase()}.example`,
        accountName: id,
        value: { amount, currency: opts.currency ?? 'USD' },
        ownerId: 'rep-1',
        ...(opts.emails ? { contactEmails: opts.emails } : {}),
      } as EventData<'OpportunityOpened'>,
      at,
    );
  }

  touch(
    opp: string,
    partyId: string,
    at: string,
    kind: 'sourced' | 'influenced' | 'resold' = 'influenced',
  ): this {
    return this.add(
      'TouchpointRecorded',
      `opportunity-${opp}`,
      { opportunityId: opp, partyId, kind, activity: 'meeting' } as EventData<'TouchpointRecorded'>,
      at,
    );
  }

  won(opp: string, at: string, amount: number, currency = 'USD'): this {
    return this.add(
      'OpportunityWon',
      `opportunity-${opp}`,
      { opportunityId: opp, value: { amount, currency } } as EventData<'OpportunityWon'>,
      at,
    );
  }
}

/** A rule set with defaults merged (SPEC §4) from a partial input. */
export function rules(input: Record<string, unknown>): RuleSet {
  return resolveRuleSet({ version: 'test', effectiveFrom: '2020-01-01T00:00:00Z', ...input }, 'test rules');
}
