import { describe, expect, it } from 'vitest';
import { pendingApprovals } from './approvals.ts';
import { computeCommission } from './engine.ts';
import { credit, Log, model, soleSourced } from './fixture.ts';

describe('pending approvals', () => {
  it('lists earned, unapproved amounts per (opportunity, partner), oldest first, leaving out disputed deals', () => {
    const log = new Log()
      .partner('P-1', '2026-01-01T00:00:00Z', { tier: 'silver' })
      .deal('O-1', '2026-01-05T00:00:00Z', '2026-02-01T00:00:00Z', 1_000_000)
      .deal('O-2', '2026-01-05T00:00:00Z', '2026-01-20T00:00:00Z', 2_000_000)
      .deal('O-3', '2026-01-05T00:00:00Z', '2026-01-25T00:00:00Z', 2_000_000)
      .add(
        'CommissionApproved',
        {
          opportunityId: 'O-1',
          partnerId: 'P-1',
          amount: { amount: 100_000, currency: 'USD' },
          approvedBy: 'fin',
        },
        '2026-02-02T00:00:00Z',
      );
    const m = model(log, '2026-03-01T00:00:00Z');
    const att = soleSourced(m, { 'O-1': 'P-1', 'O-2': 'P-1' });
    att.set('O-3', credit(m, 'O-3', [{ partyId: 'P-1', kind: 'sourced', share: 1 }], { disputed: true }));
    // O-2: 15 % of 2,000,000 = 300,000 unapproved; O-1: 150,000 − 100,000 = 50,000
    expect(
      pendingApprovals(computeCommission(m, att)).map((p) => [
        p.opportunityId,
        p.earned,
        p.approved,
        p.unapproved,
      ]),
    ).toEqual([
      ['O-2', 300_000, 0, 300_000],
      ['O-1', 150_000, 100_000, 50_000],
    ]);
  });
});
