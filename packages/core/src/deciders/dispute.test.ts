import { describe, expect, it } from 'vitest';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const raised: GivenEvent = {
  type: 'AttributionDisputed',
  data: { disputeId: 'D-1', opportunityId: 'O-1', claimantPartnerId: 'P-2', claim: 'We introduced them' },
};
const base = [f.enrolled('P-1'), f.enrolled('P-2'), f.opened('O-1')];
const resolve = (
  decision: 'upheld' | 'rejected' | 'split',
  credits?: { partyId: string; share: number }[],
) => ({
  type: 'ResolveDispute' as const,
  data: {
    disputeId: 'D-1',
    opportunityId: 'O-1',
    decision,
    decidedBy: 'PM-1',
    rationale: 'emails show it',
    ...(credits ? { credits } : {}),
  },
});

describe('dispute decider', () => {
  it('raises a dispute on an opened deal by an enrolled claimant', () => {
    given(base)
      .when({ type: 'DisputeAttribution', data: raised.data as never })
      .then([raised]);
  });

  it('refuses a second dispute under the same id, an unknown deal or claimant', () => {
    const cmd = { type: 'DisputeAttribution' as const, data: raised.data as never };
    given([...base, raised])
      .when(cmd)
      .thenRefuses('dispute.already-raised');
    given([f.enrolled('P-2')])
      .when(cmd)
      .thenRefuses('opportunity.not-found');
    given([f.opened('O-1')])
      .when(cmd)
      .thenRefuses('partner.not-found');
  });

  it('resolves a split whose shares sum to 1 (within 1e-9)', () => {
    const cmd = resolve('split', [
      { partyId: 'P-1', share: 0.1 },
      { partyId: 'P-2', share: 0.2 },
      { partyId: 'house', share: 0.7 },
    ]);
    given([...base, raised])
      .when(cmd)
      .then([{ type: 'DisputeResolved', data: cmd.data }]);
  });

  it('refuses shares that do not sum to 1', () => {
    const err = given([...base, raised])
      .when(
        resolve('split', [
          { partyId: 'P-1', share: 0.5 },
          { partyId: 'P-2', share: 0.4 },
        ]),
      )
      .thenRefuses('dispute.shares-must-sum-to-1');
    expect(err.message).toContain('0.9');
  });

  it('refuses an upheld resolution without credits; a rejection needs none', () => {
    given([...base, raised])
      .when(resolve('upheld'))
      .thenRefuses('dispute.credits-required');
    given([...base, raised])
      .when(resolve('rejected'))
      .then([{ type: 'DisputeResolved', data: resolve('rejected').data }]);
  });

  it('refuses a second resolution, an unknown dispute, another deal, an unknown credited party', () => {
    const upheld = resolve('upheld', [{ partyId: 'P-2', share: 1 }]);
    given([...base, raised, { type: 'DisputeResolved', data: upheld.data }])
      .when(upheld)
      .thenRefuses('dispute.already-resolved');
    given(base).when(upheld).thenRefuses('dispute.not-found');
    given([...base, raised])
      .when({ ...upheld, data: { ...upheld.data, opportunityId: 'O-2' } })
      .thenRefuses('dispute.opportunity-mismatch');
    given([...base, raised])
      .when(resolve('upheld', [{ partyId: 'P-9', share: 1 }]))
      .thenRefuses('partner.not-found');
  });
});
