import { createLedger, getInMemoryEventStore, readAllEvents } from '@referral-ledger/core';
import { LedgerModel } from '@referral-ledger/projections';
import { describe, expect, it } from 'vitest';
import { nextStepOf, partnerScope } from './scope.ts';

async function twoPartners() {
  const store = getInMemoryEventStore();
  const ledger = createLedger({ store, clock: () => new Date('2026-03-01T09:00:00Z') });
  const at = (d: string) => ({ occurredAt: `2026-${d}T09:00:00Z` });
  for (const [partnerId, name] of [
    ['P-1', 'Acme Consulting'],
    ['P-2', 'Umbrella Partners'],
  ] as const) {
    await ledger.handle({
      type: 'EnrollPartner',
      data: {
        partnerId,
        name,
        program: 'partner',
        tier: 'silver',
        contactEmail: `pm@${partnerId}.example`,
        payoutCurrency: 'USD',
      },
      metadata: at('01-01'),
    });
    await ledger.handle({
      type: 'SetPartnerSharing',
      data: {
        partnerId,
        leadFields: ['company'],
        overlapRelationships: partnerId === 'P-1' ? ['prospect'] : [],
        setBy: 'pm-1',
      },
      metadata: at('01-01'),
    });
  }
  const lead = { firstName: 'Ana', lastName: 'Lima', email: 'ana@globex.example', company: 'Globex' };
  await ledger.handle({
    type: 'SubmitReferral',
    data: { referralId: 'R-1', partnerId: 'P-1', channel: 'portal', lead },
    metadata: at('01-05'),
  });
  // P-2 refers the same lead: the ledger flags it a duplicate of P-1's R-1.
  await ledger.handle({
    type: 'SubmitReferral',
    data: { referralId: 'R-2', partnerId: 'P-2', channel: 'api', lead },
    metadata: at('01-20'),
  });
  for (const [shareId, partnerId] of [
    ['S-1', 'P-1'],
    ['S-2', 'P-2'],
  ] as const)
    await ledger.handle({
      type: 'ShareLead',
      data: {
        shareId,
        partnerId,
        accountDomain: 'initech.example',
        lead: { company: 'Initech' },
        reason: 'region',
        sharedBy: 'pm-1',
      },
      metadata: at('02-01'),
    });
  for (const partnerId of ['P-1', 'P-2'])
    await ledger.handle({
      type: 'RecordAccountOverlap',
      data: {
        partnerId,
        accountDomain: 'hooli.example',
        ourRelationship: 'prospect',
        partnerRelationship: 'customer',
        source: 'crossbeam',
      },
      metadata: at('02-02'),
    });
  const model = new LedgerModel({ asOf: '2026-03-01T00:00:00Z' });
  for await (const e of readAllEvents(store)) model.apply(e);
  return model.finish();
}

describe('partnerScope', () => {
  it("holds only the partner's own referrals and shared leads", async () => {
    const model = await twoPartners();
    const p1 = (await partnerScope(model, 'P-1'))!;
    const p2 = (await partnerScope(model, 'P-2'))!;
    expect(p1.referrals.map((r) => r.referralId)).toEqual(['R-1']);
    expect(p2.referrals.map((r) => r.referralId)).toEqual(['R-2']);
    expect(p1.leads.map((l) => l.shareId)).toEqual(['S-1']);
    expect(p2.leads.map((l) => l.shareId)).toEqual(['S-2']);
    expect(p1.funnel.submitted).toBe(1);
    // Overlaps only where the partner's sharing settings disclose our relationship.
    expect(p1.overlaps.map((o) => [o.accountDomain, o.ourRelationship])).toEqual([
      ['hooli.example', 'prospect'],
    ]);
    expect(p2.overlaps).toEqual([]);
    expect(p2.funnel.duplicated).toBe(1);
  });

  it("says a referral duplicates an earlier registration without naming the other partner's", async () => {
    const model = await twoPartners();
    const p2 = (await partnerScope(model, 'P-2'))!;
    expect(p2.referrals[0]).toMatchObject({ referralId: 'R-2', duplicate: true });
    expect(JSON.stringify(p2)).not.toMatch(/R-1|P-1|Acme/);
  });

  it('answers null for a partner the ledger does not know', async () => {
    expect(await partnerScope(await twoPartners(), 'P-9')).toBeNull();
  });

  it('puts the ops next action in partner words', () => {
    expect(nextStepOf('accepted', 'first-contact')).toBe('Accepted: our sales owner will contact the lead.');
    expect(nextStepOf('won', 'none')).toBe('Won: see Commissions for what it earned you.');
    expect(nextStepOf('contacted', 'none')).toBe('Nothing to do right now.');
  });
});
