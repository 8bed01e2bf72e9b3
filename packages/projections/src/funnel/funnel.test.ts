import fc from 'fast-check';
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

describe('funnel property', () => {
  it('never widens along the main path, whatever happened to the referrals', () => {
    const step = fc.constantFrom(
      'accept',
      'reject',
      'contact',
      'qualify',
      'convert',
      'win',
      'lose',
      'reopen',
      'withdraw',
      'duplicate',
    );
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 6 }), { maxLength: 8 }), (histories) => {
        const lines = [ev.enrol('P-1', '2025-01-01T00:00:00Z')];
        histories.forEach((steps, i) => {
          const id = `R-${i}`;
          const o = `O-${i}`;
          lines.push(ev.submit(id, 'P-1', '2026-01-01T00:00:00Z'));
          let opened = false;
          steps.forEach((s, k) => {
            const at = new Date(Date.parse('2026-01-02T00:00:00Z') + k * 3_600_000).toISOString();
            if (s === 'accept') lines.push(accept(id, at));
            if (s === 'reject')
              lines.push(
                ev.on('ReferralRejected', at, {
                  referralId: id,
                  reason: 'x',
                  partnerExplanation: 'x',
                  approvedBy: 'pm',
                }),
              );
            if (s === 'contact')
              lines.push(ev.on('ReferralContacted', at, { referralId: id, contactedBy: 'rep' }));
            if (s === 'qualify') lines.push(ev.on('ReferralQualified', at, { referralId: id }));
            if (s === 'withdraw') lines.push(ev.on('ReferralWithdrawn', at, { referralId: id }));
            if (s === 'duplicate')
              lines.push(
                ev.on('ReferralDuplicateFlagged', at, {
                  referralId: id,
                  duplicateOf: { kind: 'referral', id: 'R-x' },
                  matchedOn: 'email',
                }),
              );
            if (s === 'convert' && !opened) {
              opened = true;
              lines.push(opp(o, at), ev.on('ReferralConverted', at, { referralId: id, opportunityId: o }));
            }
            if (opened && s === 'win')
              lines.push(ev.on('OpportunityWon', at, { opportunityId: o, value: usd(1000) }));
            if (opened && s === 'lose')
              lines.push(ev.on('OpportunityLost', at, { opportunityId: o, reason: 'x' }));
            if (opened && s === 'reopen')
              lines.push(ev.on('OpportunityReopened', at, { opportunityId: o, reason: 'x' }));
          });
        });
        const s = computeFunnel(modelOf(lines, { asOf: '2027-01-01T00:00:00Z' })).stages;
        expect(s.submitted).toBe(histories.length);
        expect(s.submitted).toBeGreaterThanOrEqual(s.accepted);
        expect(s.accepted).toBeGreaterThanOrEqual(s.contacted);
        expect(s.contacted).toBeGreaterThanOrEqual(s.qualified);
        expect(s.qualified).toBeGreaterThanOrEqual(s.converted);
        expect(s.converted).toBeGreaterThanOrEqual(s.won + s.lost);
        expect(s.submitted).toBeGreaterThanOrEqual(s.rejected);
      }),
      { numRuns: 100 },
    );
  });
});
