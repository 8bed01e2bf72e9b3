import { describe, expect, it } from 'vitest';
import { ev, modelOf } from '../testing/ops-log.ts';
import { computeReviews } from './reviews.ts';

const T = '2026-06-10T12:00:00Z';
const usd = (amount: number) => ({ amount, currency: 'USD' });
const lines = [
  ev.enrol('P-1', '2025-01-01T00:00:00Z'),
  ev.enrol('P-2', '2025-01-01T00:00:00Z'),
  // R-1 flagged, undecided: waits since 1 Jun 09:00
  ev.submit('R-1', 'P-1', '2026-06-01T09:00:00Z'),
  ev.on('ReferralFlagged', '2026-06-01T09:00:00Z', {
    referralId: 'R-1',
    flag: 'self-referral',
    detail: 'own domain',
  }),
  // R-2 duplicate but already rejected: not waiting
  ev.submit('R-2', 'P-2', '2026-06-02T09:00:00Z'),
  ev.on('ReferralDuplicateFlagged', '2026-06-02T09:00:00Z', {
    referralId: 'R-2',
    duplicateOf: { kind: 'referral', id: 'R-1' },
    matchedOn: 'domain',
  }),
  ev.on('ReferralRejected', '2026-06-02T10:00:00Z', {
    referralId: 'R-2',
    reason: 'duplicate',
    partnerExplanation: 'Already registered',
    approvedBy: 'pm',
  }),
  // R-3 duplicate, undecided
  ev.submit('R-3', 'P-2', '2026-06-05T12:00:00Z'),
  ev.on('ReferralDuplicateFlagged', '2026-06-05T12:00:00Z', {
    referralId: 'R-3',
    duplicateOf: { kind: 'customer', id: 'acme.example' },
    matchedOn: 'domain',
  }),
  // O-1 won on 3 Jun; P-1's line approved, P-2's not
  ev.on('OpportunityOpened', '2026-05-20T09:00:00Z', {
    opportunityId: 'O-1',
    accountDomain: 'a.example',
    accountName: 'A',
    value: usd(100000),
    ownerId: 'rep',
  }),
  ev.on('OpportunityWon', '2026-06-03T09:00:00Z', { opportunityId: 'O-1', value: usd(100000) }),
  ev.on('CommissionApproved', '2026-06-04T09:00:00Z', {
    opportunityId: 'O-1',
    partnerId: 'P-1',
    amount: usd(1000),
    approvedBy: 'pm',
  }),
  // O-2 opened 28 May with a conflict
  ev.on('OpportunityOpened', '2026-05-28T09:00:00Z', {
    opportunityId: 'O-2',
    accountDomain: 'b.example',
    accountName: 'B',
    value: usd(200000),
    ownerId: 'rep',
  }),
  // D-1 open since 6 Jun, D-2 resolved
  ev.on('AttributionDisputed', '2026-06-06T12:00:00Z', {
    disputeId: 'D-1',
    opportunityId: 'O-1',
    claimantPartnerId: 'P-2',
    claim: 'we introduced them',
  }),
  ev.on('AttributionDisputed', '2026-06-06T12:00:00Z', {
    disputeId: 'D-2',
    opportunityId: 'O-1',
    claimantPartnerId: 'P-1',
    claim: 'x',
  }),
  ev.on('DisputeResolved', '2026-06-07T12:00:00Z', {
    disputeId: 'D-2',
    opportunityId: 'O-1',
    decision: 'rejected',
    decidedBy: 'pm',
    rationale: 'no evidence',
  }),
];
const inputs = {
  attribution: new Map([
    ['O-1', { conflict: false, credits: [{ partyId: 'P-1' }, { partyId: 'P-2' }] }],
    ['O-2', { conflict: true, credits: [{ partyId: 'P-1' }, { partyId: 'P-2' }] }],
  ]),
  // P-1's pair on O-1 was approved (not pending); P-2's is pending since the close
  approvals: [{ partnerId: 'P-2', opportunityId: 'O-1', since: Date.parse('2026-06-03T09:00:00Z') }],
};

describe('review queue (SPEC §6.5)', () => {
  it('lists what waits for a partner manager, oldest first, with age in whole hours', () => {
    const items = computeReviews(modelOf(lines, { asOf: T }), inputs);
    expect(items.map((i) => [i.kind, i.id, i.since, i.ageHours])).toEqual([
      ['conflict', 'O-2', '2026-05-28T09:00:00.000Z', 315], // 13 days 3 h
      ['flagged-referral', 'R-1', '2026-06-01T09:00:00.000Z', 219],
      ['commission-approval', 'O-1', '2026-06-03T09:00:00.000Z', 171],
      ['duplicate-referral', 'R-3', '2026-06-05T12:00:00.000Z', 120],
      ['dispute', 'D-1', '2026-06-06T12:00:00.000Z', 96],
    ]);
    expect(items.find((i) => i.kind === 'commission-approval')?.partnerIds).toEqual(['P-2']);
  });

  it('shows a partner only the items that concern it', () => {
    const items = computeReviews(modelOf(lines, { asOf: T }), inputs, { partnerId: 'P-1' });
    expect(items.map((i) => i.id)).toEqual(['O-2', 'R-1']);
    expect(items.flatMap((i) => i.partnerIds)).toEqual(['P-1', 'P-1']);
    const p2 = computeReviews(modelOf(lines, { asOf: T }), inputs, { partnerId: 'P-2' });
    expect(p2.find((i) => i.kind === 'commission-approval')).toMatchObject({
      partnerIds: ['P-2'],
      detail: 'unapproved lines of P-2',
    });
    expect(JSON.stringify(p2)).not.toContain('P-1');
  });

  it('drops a referral from the queue once it is decided', () => {
    const decided = [
      ...lines,
      ev.on('ReferralAccepted', '2026-06-09T09:00:00Z', {
        referralId: 'R-1',
        salesOwnerId: 'rep',
        feedbackOwnerId: 'pm',
        approvedBy: 'pm',
      }),
    ];
    const items = computeReviews(modelOf(decided, { asOf: T }), inputs);
    expect(items.some((i) => i.id === 'R-1')).toBe(false);
  });

  it('lists one item per won deal, oldest pending pair first, and none for a deal not won', () => {
    const pending = {
      attribution: new Map(),
      approvals: [
        { partnerId: 'P-2', opportunityId: 'O-1', since: Date.parse('2026-06-08T09:00:00Z') },
        { partnerId: 'P-1', opportunityId: 'O-1', since: Date.parse('2026-06-03T09:00:00Z') },
        { partnerId: 'P-1', opportunityId: 'O-2', since: Date.parse('2026-06-03T09:00:00Z') }, // O-2 is open
      ],
    };
    const items = computeReviews(modelOf(lines, { asOf: T }), pending).filter(
      (i) => i.kind === 'commission-approval',
    );
    expect(items.map((i) => [i.id, i.since, i.ageHours, i.partnerIds])).toEqual([
      ['O-1', '2026-06-03T09:00:00.000Z', 171, ['P-1', 'P-2']],
    ]);
  });

  it('names every tied partner of a conflict, and drops it once a resolution settles the credits', () => {
    const tie = {
      attribution: new Map([
        [
          'O-2',
          {
            conflict: true,
            credits: [{ partyId: 'P-1' }],
            explanation: {
              registrations: [
                { partnerId: 'P-1', outcome: 'sourced' },
                { partnerId: 'P-2', outcome: 'tie-lost' },
                { partnerId: 'P-3', outcome: 'later' },
              ],
            },
          },
        ],
      ]),
      approvals: [],
    };
    const conflict = computeReviews(modelOf(lines, { asOf: T }), tie).find((i) => i.kind === 'conflict');
    expect(conflict?.partnerIds).toEqual(['P-1', 'P-2']);
    expect(computeReviews(modelOf(lines, { asOf: T }), tie, { partnerId: 'P-2' }).map((i) => i.id)).toContain(
      'O-2',
    );
    const resolved = [
      ...lines,
      ev.on('AttributionDisputed', '2026-06-08T12:00:00Z', {
        disputeId: 'D-3',
        opportunityId: 'O-2',
        claimantPartnerId: 'P-2',
        claim: 'tie',
      }),
      ev.on('DisputeResolved', '2026-06-09T12:00:00Z', {
        disputeId: 'D-3',
        opportunityId: 'O-2',
        decision: 'split',
        decidedBy: 'pm',
        rationale: 'both introduced them',
        credits: [
          { partyId: 'P-1', share: 0.5 },
          { partyId: 'P-2', share: 0.5 },
        ],
      }),
    ];
    expect(computeReviews(modelOf(resolved, { asOf: T }), tie).some((i) => i.kind === 'conflict')).toBe(
      false,
    );
  });
});
