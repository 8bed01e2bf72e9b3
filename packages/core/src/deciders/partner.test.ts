import { describe, expect, it } from 'vitest';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const P1 = f.enrolled('P-1');
const offboarded: GivenEvent = {
  type: 'PartnerOffboarded',
  data: { partnerId: 'P-1', reason: 'contract ended' },
};
const enroll = { type: 'EnrollPartner' as const, data: f.enrolled('P-1').data as never };

describe('partner decider', () => {
  it('enrolls a new partner', () => {
    given([]).when(enroll).then([P1]);
  });

  it('refuses to enroll an id twice, even after offboarding', () => {
    const err = given([P1]).when(enroll).thenRefuses('partner.already-enrolled');
    expect(err.message).toContain('UpdatePartner');
    given([P1, offboarded]).when(enroll).thenRefuses('partner.already-enrolled');
  });

  it('refuses the reserved house id', () => {
    given([])
      .when({ type: 'EnrollPartner', data: { ...f.enrolled('house').data, partnerId: 'house' } as never })
      .thenRefuses('partner.reserved-id');
  });

  it('enrolls a recruited partner only when the recruiter is enrolled and not itself', () => {
    const recruited = f.enrolled('P-2', { referredBy: 'P-1' });
    given([P1])
      .when({ type: 'EnrollPartner', data: recruited.data as never })
      .then([recruited]);
    given([])
      .when({ type: 'EnrollPartner', data: recruited.data as never })
      .thenRefuses('partner.not-found');
    given([])
      .when({ type: 'EnrollPartner', data: f.enrolled('P-2', { referredBy: 'P-2' }).data as never })
      .thenRefuses('partner.self-referred');
  });

  it('changes the tier, and appends nothing for the tier it already has', () => {
    given([P1])
      .when({ type: 'ChangePartnerTier', data: { partnerId: 'P-1', tier: 'silver', reason: 'review' } })
      .then([{ type: 'PartnerTierChanged', data: { partnerId: 'P-1', tier: 'silver', reason: 'review' } }]);
    given([P1])
      .when({ type: 'ChangePartnerTier', data: { partnerId: 'P-1', tier: 'gold' } })
      .then([]);
  });

  it('refuses changes to an unknown or offboarded partner', () => {
    const tier = { type: 'ChangePartnerTier' as const, data: { partnerId: 'P-1', tier: 'silver' as const } };
    given([]).when(tier).thenRefuses('partner.not-found');
    given([P1, offboarded]).when(tier).thenRefuses('partner.offboarded');
    given([P1, offboarded])
      .when({ type: 'OffboardPartner', data: { partnerId: 'P-1', reason: 'again' } })
      .thenRefuses('partner.offboarded');
  });

  it('sets sharing settings', () => {
    const sharing = {
      partnerId: 'P-1',
      leadFields: ['company' as const, 'website' as const],
      overlapRelationships: ['customer' as const],
      setBy: 'PM-1',
    };
    given([P1])
      .when({ type: 'SetPartnerSharing', data: sharing })
      .then([{ type: 'PartnerSharingSet', data: sharing }]);
    given([]).when({ type: 'SetPartnerSharing', data: sharing }).thenRefuses('partner.not-found');
  });

  it('updates, refusing an update that changes nothing', () => {
    given([P1])
      .when({ type: 'UpdatePartner', data: { partnerId: 'P-1', domain: 'p1.example' } })
      .then([{ type: 'PartnerUpdated', data: { partnerId: 'P-1', domain: 'p1.example' } }]);
    given([P1])
      .when({ type: 'UpdatePartner', data: { partnerId: 'P-1' } })
      .thenRefuses('partner.nothing-to-update');
  });

  it('offboards an enrolled partner', () => {
    given([P1])
      .when({ type: 'OffboardPartner', data: offboarded.data as never })
      .then([offboarded]);
    given([])
      .when({ type: 'OffboardPartner', data: offboarded.data as never })
      .thenRefuses('partner.not-found');
  });
});
