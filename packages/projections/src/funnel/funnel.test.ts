import { describe, expect, it } from 'vitest';
import { ev, modelOf } from '../testing/ops-log.ts';
import { computeFunnel } from './funnel.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const opp = (id: string, at: string) =>
  ev.on('OpportunityOpened', at, {
    opportunityId: id,
    accountDomain: `${id}.example`,
    accountName: id,
    value: usd(1000),
    ownerId: 'rep',
  });
const accept = (id: string, at: string) =>
  ev.on('ReferralAccepted', at, {
    referralId: id,
    salesOwnerId: 'rep',
    feedbackOwnerId: 'pm',
    approvedBy: 'pm',
  });

describe('referral funnel (reached-that-stage semantics)', () => {
  const lines = [
    ev.enrol('P-1', '2025-01-01T00:00:00Z'),
    ev.enrol('P-2', '2025-01-01T00:00:00Z'),
    // accepted → contacted → qualified → converted → won
    ev.submit('R-1', 'P-1', '2026-01-01T00:00:00Z'),
    accept('R-1', '2026-01-01T01:00:00Z'),
    ev.on('ReferralContacted', '2026-01-01T02:00:00Z', { referralId: 'R-1', contactedBy: 'rep' }),
    ev.on('ReferralQualified', '2026-01-02T00:00:00Z', { referralId: 'R-1' }),
    opp('O-1', '2026-01-03T00:00:00Z'),
    ev.on('ReferralConverted', '2026-01-03T00:00:00Z', { referralId: 'R-1', opportunityId: 'O-1' }),
    ev.on('OpportunityWon', '2026-02-01T00:00:00Z', { opportunityId: 'O-1', value: usd(1000) }),
    // converted straight after acceptance (no recorded contact), deal lost
    ev.submit('R-2', 'P-1', '2026-01-01T00:00:00Z'),
    accept('R-2', '2026-01-01T01:00:00Z'),
    opp('O-2', '2026-01-03T00:00:00Z'),
    ev.on('ReferralConverted', '2026-01-03T00:00:00Z', { referralId: 'R-2', opportunityId: 'O-2' }),
    ev.on('OpportunityLost', '2026-02-01T00:00:00Z', { opportunityId: 'O-2', reason: 'price' }),
    // duplicate, rejected
    ev.submit('R-3', 'P-2', '2026-01-01T00:00:00Z'),
    ev.on('ReferralDuplicateFlagged', '2026-01-01T00:00:00Z', {
      referralId: 'R-3',
      duplicateOf: { kind: 'referral', id: 'R-1' },
      matchedOn: 'email',
    }),
    ev.on('ReferralRejected', '2026-01-01T03:00:00Z', {
      referralId: 'R-3',
      reason: 'dup',
      partnerExplanation: 'Already registered',
      approvedBy: 'pm',
    }),
    // submitted only
    ev.submit('R-4', 'P-2', '2026-01-01T00:00:00Z'),
  ];

  it('counts each referral in its furthest stage and every stage before it', () => {
    expect(computeFunnel(modelOf(lines, { asOf: '2026-03-01T00:00:00Z' })).stages).toEqual({
      submitted: 4,
      accepted: 2,
      rejected: 1,
      duplicated: 1,
      contacted: 2,
      qualified: 2,
      converted: 2,
      won: 1,
      lost: 1,
    });
  });

  it('as of before the deals closed, neither won nor lost', () => {
    expect(computeFunnel(modelOf(lines, { asOf: '2026-01-15T00:00:00Z' })).stages).toMatchObject({
      converted: 2,
      won: 0,
      lost: 0,
    });
  });

  it('scopes to one partner', () => {
    expect(
      computeFunnel(modelOf(lines, { asOf: '2026-03-01T00:00:00Z' }), { partnerId: 'P-2' }).stages,
    ).toMatchObject({
      submitted: 2,
      accepted: 0,
      rejected: 1,
      duplicated: 1,
      won: 0,
    });
  });
});
