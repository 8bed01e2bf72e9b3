import { readFileSync } from 'node:fs';
import { CommandRefusedError, createLedger, getInMemoryEventStore } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { ingestContext, ingestPayload } from './apply.ts';

const raw = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

async function storeWithPartners() {
  const store = getInMemoryEventStore();
  const ledger = createLedger({ store });
  for (const [partnerId, name] of [
    ['P-1', 'Partner One'],
    ['P-2', 'Bozala'],
  ]) {
    await ledger.handle({
      type: 'EnrollPartner',
      data: {
        partnerId: partnerId!,
        name: name!,
        program: 'partner',
        tier: 'silver',
        contactEmail: `${partnerId!.toLowerCase()}@partners.example`,
        payoutCurrency: 'USD',
      },
      metadata: { occurredAt: '2026-01-01T00:00:00Z' },
    });
  }
  return store;
}

describe('ingestPayload', () => {
  it('appends a form submission once, with its business time and id', async () => {
    const store = await storeWithPartners();
    const first = await ingestPayload(store, 'tally', raw('tally/form-response.json'));
    const submitted = first.events.find((e) => e.type === 'ReferralSubmitted')!;
    expect(submitted.streamId).toBe('referral-tally-2wgx4n');
    expect(submitted.metadata.occurredAt).toBe('2026-01-06T10:15:00.000Z');
    expect(submitted.metadata.eventId).toBe(first.commands[0]!.metadata.eventId);
    const head = await store.headPosition();
    const again = await ingestPayload(store, 'tally', raw('tally/form-response.json'));
    expect(again.appended).toBe(0);
    expect(await store.headPosition()).toBe(head);
  });

  it('applies a CRM snapshot as a difference against what the log knows', async () => {
    const store = await storeWithPartners();
    await ingestPayload(store, 'hubspot', raw('hubspot/bundle-deal-created.json'));
    const won = await ingestPayload(store, 'hubspot', raw('hubspot/webhook-deal-won.json'));
    expect(won.events.map((e) => e.type)).toEqual(['OpportunityValueChanged', 'OpportunityWon']);
    const ctx = ingestContext(await store.readAll());
    expect(ctx.opportunity?.('hubspot-1246965')).toEqual({
      status: 'won',
      value: { amount: 4800050, currency: 'USD' },
      lastEventAt: '2026-01-01T12:00:00.000Z',
    });
    expect((await ingestPayload(store, 'hubspot', raw('hubspot/webhook-deal-won.json'))).commands).toEqual(
      [],
    );
  });

  it('appends nothing when a later command is refused', async () => {
    const store = await storeWithPartners();
    const bundle = JSON.parse(raw('hubspot/bundle-deal-created.json'));
    bundle.events.push({
      ...bundle.events[0],
      eventId: 8,
      subscriptionType: 'deal.propertyChange',
      objectId: 4242,
      propertyName: 'dealstage',
      propertyValue: 'closedlost',
    });
    const head = await store.headPosition();
    await expect(ingestPayload(store, 'hubspot', JSON.stringify(bundle))).rejects.toBeInstanceOf(
      CommandRefusedError,
    );
    expect(await store.headPosition()).toBe(head);
  });
});
