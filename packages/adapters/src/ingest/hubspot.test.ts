import { readFileSync } from 'node:fs';
import { ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { ingestEventId } from './command.ts';
import { mapHubSpot } from './hubspot.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/hubspot/${name}`, import.meta.url), 'utf8'));

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('HubSpot webhooks v3', () => {
  it('maps amount and dealstage property changes to a value change and a win at the close date', () => {
    const cmds = mapHubSpot(fixture('webhook-deal-won.json'));
    expect(cmds.map((c) => c.type)).toEqual(['ChangeOpportunityValue', 'WinOpportunity']);
    expect(cmds[0]!.data).toEqual({
      opportunityId: 'hubspot-1246965',
      value: { amount: 4800050, currency: 'USD' },
    });
    expect(cmds[0]!.metadata.occurredAt).toBe('2026-01-01T12:00:00.000Z');
    expect(cmds[1]!.data).toEqual({
      opportunityId: 'hubspot-1246965',
      value: { amount: 4800050, currency: 'USD' },
    });
    // closedate 1767225600000 ms = 2026-01-01T00:00:00Z, carried in the same batch, but the win is
    // never dated before the deal's latest event: the amount change at 12:00.
    expect(cmds[1]!.metadata.occurredAt).toBe('2026-01-01T12:00:00.000Z');
    expect(cmds[1]!.metadata.eventId).toBe(
      ingestEventId(
        'hubspot',
        'webhook',
        '62515',
        '3816279342',
        'deal.propertyChange',
        '1246965',
        'dealstage',
      ),
    );
  });

  it('gives a replayed payload the same ids, and a retry (attemptNumber) too', () => {
    const a = mapHubSpot(fixture('webhook-deal-won.json'));
    const retry = (fixture('webhook-deal-won.json') as Record<string, unknown>[]).map((e) => ({
      ...e,
      attemptNumber: 3,
    }));
    expect(mapHubSpot(retry).map((c) => c.metadata.eventId)).toEqual(a.map((c) => c.metadata.eventId));
  });

  it('maps nothing on re-ingest once the ledger knows the deal is won with that value', () => {
    const cmds = mapHubSpot(fixture('webhook-deal-won.json'), {
      context: {
        opportunity: () => ({
          status: 'won',
          value: { amount: 4800050, currency: 'USD' } as never,
          lastEventAt: '2026-01-01T13:00:00.000Z',
        }),
      },
    });
    expect(cmds).toEqual([]);
  });

  it('opens an opportunity from deal.creation joined with the deal and company reads', () => {
    const cmds = mapHubSpot(fixture('bundle-deal-created.json'));
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toEqual({
      type: 'OpenOpportunity',
      data: {
        opportunityId: 'hubspot-1246965',
        accountDomain: 'acme.example',
        accountName: 'Acme Corp',
        value: { amount: 3600000, currency: 'USD' },
        ownerId: '910201',
        attributes: { crm: 'hubspot', pipeline: 'default' },
      },
      metadata: {
        eventId: ingestEventId('hubspot', 'opportunity', 'hubspot-1246965', 'opened'),
        occurredAt: '2025-12-08T10:40:00.000Z',
      },
    });
  });

  it('dates a win at the batch closedate when that is after the latest event of the deal', () => {
    const events = fixture('webhook-deal-won.json') as Record<string, unknown>[];
    events[1] = { ...events[1], propertyValue: String(Date.parse('2026-01-01T18:00:00Z')) };
    expect(mapHubSpot(events)[1]!.metadata.occurredAt).toBe('2026-01-01T18:00:00.000Z');
  });

  it('maps a closed-won CRM read to an opening and a win in the deal currency', () => {
    const cmds = mapHubSpot(fixture('deal-read-closedwon.json'), { idPrefix: '' });
    expect(cmds.map((c) => [c.type, c.metadata.occurredAt])).toEqual([
      ['OpenOpportunity', '2026-01-12T08:15:00.000Z'],
      ['WinOpportunity', '2026-02-27T17:00:00.000Z'],
    ]);
    expect(cmds[1]!.data).toEqual({ opportunityId: '88001', value: { amount: 1200000, currency: 'EUR' } });
  });

  it('maps contact.creation (older eventType) with its read to a referral from the partner property', () => {
    const [cmd, ...rest] = mapHubSpot(fixture('bundle-contact-created.json'));
    expect(rest).toEqual([]);
    expect(cmd).toEqual({
      type: 'SubmitReferral',
      data: {
        referralId: 'hubspot-701',
        partnerId: 'P-1',
        channel: 'crm',
        lead: {
          firstName: 'Bill',
          lastName: 'Lumbergh',
          email: 'Bill.Lumbergh@initech.example',
          company: 'Initech',
          phone: '+1 555 0100',
          title: 'VP Engineering',
          website: 'https://www.initech.example',
        },
      },
      metadata: {
        eventId: ingestEventId('hubspot', 'contact', '701', 'submitted'),
        occurredAt: '2026-01-05T08:00:00.000Z',
      },
    });
  });

  it('reads generic object.propertyChange events of deals (objectTypeId 0-3) as deal events', () => {
    const generic = (fixture('webhook-deal-won.json') as Record<string, unknown>[]).map((e) => ({
      ...e,
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-3',
    }));
    expect(mapHubSpot(generic)).toEqual(mapHubSpot(fixture('webhook-deal-won.json')));
  });

  it('refuses an unknown subscription type, naming the event', () => {
    const e = refusal(() => mapHubSpot(fixture('malformed-unknown-subscription.json')));
    expect(e.path).toBe('[0].subscriptionType');
    expect(e.message).toContain('ticket.creation');
  });

  it('refuses an amount that is not a decimal number, naming the field', () => {
    expect(refusal(() => mapHubSpot(fixture('malformed-amount.json'))).path).toBe('[0].propertyValue');
  });

  it('refuses an event without subscriptionType or eventType, and a missing objectId', () => {
    expect(refusal(() => mapHubSpot([{ eventId: 1, portalId: 1, occurredAt: 1, objectId: 1 }])).path).toBe(
      '[0].subscriptionType',
    );
    expect(
      refusal(() =>
        mapHubSpot([{ eventId: 1, portalId: 1, occurredAt: 1, subscriptionType: 'deal.creation' }]),
      ).path,
    ).toBe('[0].objectId');
  });

  it('refuses a deal.creation whose deal read is missing, and a contact without a partner', () => {
    const b = fixture('bundle-deal-created.json') as Record<string, unknown>;
    expect(refusal(() => mapHubSpot({ events: b.events })).path).toBe('[0].objectId');
    const c = fixture('bundle-contact-created.json') as {
      contacts: { properties: Record<string, unknown> }[];
    };
    delete c.contacts[0]!.properties.referral_partner_id;
    expect(refusal(() => mapHubSpot(c)).path).toBe('contacts[0].properties.referral_partner_id');
  });

  it('refuses a contact read missing a required lead field, naming it', () => {
    const c = fixture('bundle-contact-created.json') as {
      contacts: { properties: Record<string, unknown> }[];
    };
    delete c.contacts[0]!.properties.company;
    expect(refusal(() => mapHubSpot(c)).path).toBe('contacts[0].lead.company');
  });
});
