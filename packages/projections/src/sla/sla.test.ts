import { describe, expect, it } from 'vitest';
import { ev, modelOf } from '../testing/ops-log.ts';
import { computeSla } from './sla.ts';

const berlin = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const base = [ev.enrol('P-1', '2025-01-01T00:00:00Z')];

describe('computeSla (SPEC §6.8)', () => {
  it('measures a weekend-spanning first contact in business hours with a DST change', () => {
    const model = modelOf(
      [
        ev.rules({ sla: { businessHours: berlin } }),
        ...base,
        ev.submit('R-1', 'P-1', '2026-03-27T15:00:00Z'),
        ev.on('ReferralContacted', '2026-03-30T08:00:00Z', { referralId: 'R-1', contactedBy: 'rep' }),
      ],
      { asOf: '2026-03-31T00:00:00Z' },
    );
    const [r] = computeSla(model).referrals;
    expect(r).toMatchObject({
      firstContactMinutes: 120,
      firstContactBreached: false,
      firstContactDeadline: '2026-03-30T10:00:00.000Z',
      // 48 business hours: 1 h on Friday + 5 × 8 h (30 Mar – 3 Apr) = 41 h, then 7 h on Mon 6 Apr → 16:00 CEST
      feedbackDeadline: '2026-04-06T14:00:00.000Z',
    });
  });

  it('breaches an uncontacted referral once the business-hours deadline passed, and counts a pending one in neither', () => {
    const lines = [
      ev.rules({ sla: { businessHours: berlin } }),
      ...base,
      ev.submit('R-1', 'P-1', '2026-03-27T15:00:00Z'),
    ];
    const late = computeSla(modelOf(lines, { asOf: '2026-03-30T11:30:00Z' })); // 1 h + 4.5 h
    expect(late.referrals[0]).toMatchObject({ firstContactMinutes: null, firstContactBreached: true });
    expect(late.summary).toMatchObject({ firstContactMet: 0, firstContactRate: 0 });
    const early = computeSla(modelOf(lines, { asOf: '2026-03-30T09:30:00Z' })); // 1 h + 2.5 h
    expect(early.referrals[0]).toMatchObject({ firstContactMinutes: null, firstContactBreached: false });
    expect(early.summary).toMatchObject({
      total: 1,
      firstContactMet: 0,
      firstContactRate: null,
      feedbackRate: null,
    });
  });

  it('suspends the first-contact clock for a referral withdrawn before any contact', () => {
    const model = modelOf(
      [
        ...base,
        ev.submit('R-1', 'P-1', '2026-06-01T08:00:00Z'),
        ev.on('ReferralWithdrawn', '2026-06-01T20:00:00Z', { referralId: 'R-1' }),
      ],
      { asOf: '2026-06-02T08:00:00Z' },
    );
    const [r] = computeSla(model).referrals;
    expect(r).toMatchObject({
      status: 'withdrawn',
      firstContactMinutes: null,
      firstContactBreached: null,
      stale: false,
    });
  });

  it('marks an open referral stale after staleAfterDays without an event, not a closed one', () => {
    const lines = [
      ...base,
      ev.submit('R-1', 'P-1', '2026-06-01T08:00:00Z'),
      ev.on('ReferralContacted', '2026-06-01T09:00:00Z', { referralId: 'R-1', contactedBy: 'rep' }),
      ev.submit('R-2', 'P-1', '2026-06-01T08:00:00Z'),
      ev.on('ReferralRejected', '2026-06-01T09:00:00Z', {
        referralId: 'R-2',
        reason: 'no fit',
        partnerExplanation: 'Not a fit',
        approvedBy: 'pm',
      }),
    ];
    const at7 = computeSla(modelOf(lines, { asOf: '2026-06-08T09:00:00Z' })); // exactly 7 days: not older
    expect(at7.referrals.map((r) => r.stale)).toEqual([false, false]);
    const at8 = computeSla(modelOf(lines, { asOf: '2026-06-09T09:00:00Z' }));
    expect(at8.referrals.map((r) => r.stale)).toEqual([true, false]);
    expect(at8.summary.stale).toBe(1);
  });

  it('shows only one partner with partnerId', () => {
    const model = modelOf(
      [
        ...base,
        ev.enrol('P-2', '2025-01-01T00:00:00Z'),
        ev.submit('R-1', 'P-1', '2026-06-01T08:00:00Z'),
        ev.submit('R-2', 'P-2', '2026-06-01T08:00:00Z'),
      ],
      { asOf: '2026-06-01T09:00:00Z' },
    );
    expect(computeSla(model, { partnerId: 'P-2' }).referrals.map((r) => r.referralId)).toEqual(['R-2']);
  });

  it('gives null rates with no referrals', () => {
    expect(computeSla(modelOf(base, { asOf: '2026-06-01T00:00:00Z' })).summary).toMatchObject({
      total: 0,
      firstContactRate: null,
      feedbackRate: null,
    });
  });
});
