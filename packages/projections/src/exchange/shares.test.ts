import { describe, expect, it } from 'vitest';
import { ev, modelOf } from '../testing/ops-log.ts';
import { computeShares, median } from './shares.ts';

const share = (id: string, partnerId: string, at: string) =>
  ev.on('LeadShared', at, {
    shareId: id,
    partnerId,
    accountDomain: `${id}.example`,
    lead: { company: id },
    reason: 'fit',
    sharedBy: 'pm',
  });
const respond = (id: string, at: string, response: string) =>
  ev.on('SharedLeadResponded', at, { shareId: id, response });
const outcome = (id: string, at: string, o: string) =>
  ev.on('SharedLeadOutcome', at, { shareId: id, outcome: o });

describe('median', () => {
  it('takes the middle value, or the mean of the middle two for an even count; null for none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([10, 2, 4, 3])).toBe(3.5);
    expect(median([])).toBeNull();
  });
});

describe('shared leads per partner (SPEC §7)', () => {
  const lines = [
    ev.enrol('P-1', '2025-01-01T00:00:00Z'),
    ev.enrol('P-2', '2025-01-01T00:00:00Z'),
    ev.enrol('P-3', '2025-01-01T00:00:00Z'),
    ev.on('PartnerSharingSet', '2025-02-01T00:00:00Z', {
      partnerId: 'P-3',
      leadFields: ['company'],
      overlapRelationships: [],
      setBy: 'pm',
    }),
    share('S-1', 'P-1', '2026-01-01T00:00:00Z'),
    respond('S-1', '2026-01-01T02:00:00Z', 'accepted'),
    outcome('S-1', '2026-01-10T00:00:00Z', 'contacted'),
    outcome('S-1', '2026-02-10T00:00:00Z', 'won'),
    share('S-2', 'P-1', '2026-01-02T00:00:00Z'),
    respond('S-2', '2026-01-02T05:00:00Z', 'declined'),
    share('S-3', 'P-1', '2026-01-03T00:00:00Z'),
    respond('S-3', '2026-01-03T10:00:00Z', 'accepted'),
    respond('S-3', '2026-01-04T10:00:00Z', 'declined'), // a second response does not count
    outcome('S-3', '2026-02-01T00:00:00Z', 'lost'),
    share('S-4', 'P-1', '2026-01-04T00:00:00Z'),
    respond('S-4', '2026-01-04T01:00:00Z', 'accepted'),
    share('S-5', 'P-2', '2026-01-05T00:00:00Z'),
  ];

  it('counts shares, first responses and outcomes; conversion = won ÷ shared; median response hours', () => {
    const rows = computeShares(modelOf(lines, { asOf: '2026-03-01T00:00:00Z' }));
    expect(rows).toEqual([
      {
        partnerId: 'P-1',
        shared: 4,
        accepted: 3,
        declined: 1,
        won: 1,
        lost: 1,
        conversionRate: 0.25,
        medianResponseHours: 3.5,
      },
      {
        partnerId: 'P-2',
        shared: 1,
        accepted: 0,
        declined: 0,
        won: 0,
        lost: 0,
        conversionRate: 0,
        medianResponseHours: null,
      },
      {
        partnerId: 'P-3',
        shared: 0,
        accepted: 0,
        declined: 0,
        won: 0,
        lost: 0,
        conversionRate: null,
        medianResponseHours: null,
      },
    ]);
  });

  it('shows one partner only its own row', () => {
    expect(
      computeShares(modelOf(lines, { asOf: '2026-03-01T00:00:00Z' }), { partnerId: 'P-2' }).map(
        (r) => r.partnerId,
      ),
    ).toEqual(['P-2']);
  });
});
