import type { RecordedEvent } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model.ts';
import { partnerView } from './partner-view.ts';

let position = 0;
function ev(streamId: string, type: string, data: object, day: number): RecordedEvent {
  position += 1;
  const occurredAt = `2026-02-${String(day).padStart(2, '0')}T09:00:00Z`;
  return {
    streamId,
    type,
    data,
    metadata: {
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      occurredAt,
      recordedAt: occurredAt,
    },
    revision: 0,
    position,
  } as unknown as RecordedEvent;
}

const enrol = (id: string) =>
  ev(
    `partner-${id}`,
    'PartnerEnrolled',
    {
      partnerId: id,
      name: `Partner ${id}`,
      program: 'partner',
      tier: 'silver',
      contactEmail: `${id}@partners.example`,
      payoutCurrency: 'USD',
    },
    1,
  );

const log = [
  enrol('P-1'),
  enrol('P-2'),
  ev(
    'partner-P-1',
    'PartnerSharingSet',
    { partnerId: 'P-1', leadFields: ['company'], overlapRelationships: ['customer'], setBy: 'pm' },
    2,
  ),
  ev(
    'overlap-P-1',
    'AccountOverlapDetected',
    {
      partnerId: 'P-1',
      accountDomain: 'a.example',
      ourRelationship: 'customer',
      partnerRelationship: 'prospect',
      source: 'crossbeam',
    },
    3,
  ),
  ev(
    'overlap-P-1',
    'AccountOverlapDetected',
    {
      partnerId: 'P-1',
      accountDomain: 'b.example',
      ourRelationship: 'prospect',
      partnerRelationship: 'customer',
      source: 'crossbeam',
    },
    3,
  ),
  ev(
    'overlap-P-2',
    'AccountOverlapDetected',
    {
      partnerId: 'P-2',
      accountDomain: 'c.example',
      ourRelationship: 'customer',
      partnerRelationship: 'customer',
      source: 'reveal',
    },
    3,
  ),
  ev(
    'share-S-1',
    'LeadShared',
    {
      shareId: 'S-1',
      partnerId: 'P-1',
      accountDomain: 'd.example',
      lead: { company: 'Delta', firstName: 'Dana' },
      reason: 'fit',
      sharedBy: 'pm',
    },
    4,
  ),
  ev('share-S-1', 'SharedLeadResponded', { shareId: 'S-1', response: 'accepted' }, 5),
  ev(
    'share-S-2',
    'LeadShared',
    {
      shareId: 'S-2',
      partnerId: 'P-2',
      accountDomain: 'e.example',
      lead: { company: 'Echo' },
      reason: 'fit',
      sharedBy: 'pm',
    },
    4,
  ),
  ev(
    'referral-R-1',
    'ReferralSubmitted',
    {
      referralId: 'R-1',
      partnerId: 'P-2',
      channel: 'portal',
      lead: { firstName: 'A', lastName: 'B', email: 'a@f.example', company: 'Foxtrot' },
    },
    6,
  ),
];

describe('partnerView', () => {
  const model = buildModel(log, { asOf: '2026-03-01T00:00:00Z' });

  it('shows overlaps only within the partner overlapRelationships', () => {
    const v = partnerView(model, 'P-1')!;
    expect(v.overlaps.map((o) => o.accountDomain)).toEqual(['a.example']);
  });

  it('shows shared leads with only the fields its leadFields allow', () => {
    const v = partnerView(model, 'P-1')!;
    expect(v.sharedLeads).toEqual([
      expect.objectContaining({ shareId: 'S-1', lead: { company: 'Delta' }, response: 'accepted' }),
    ]);
  });

  it('shows nothing shared to a partner without sharing settings, and no other partner data', () => {
    const v = partnerView(model, 'P-2')!;
    expect(v.overlaps).toEqual([]);
    expect(v.sharedLeads).toEqual([expect.objectContaining({ shareId: 'S-2', lead: {} })]);
    expect(v.referrals.map((r) => r.referralId)).toEqual(['R-1']);
    expect(JSON.stringify(v)).not.toContain('P-1');
    expect(JSON.stringify(partnerView(model, 'P-1'))).not.toContain('R-1');
  });

  it('is null for a partner that is not enrolled', () => {
    expect(partnerView(model, 'P-9')).toBeNull();
  });
});
