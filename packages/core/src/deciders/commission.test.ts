import { describe, it } from 'vitest';
import { fixtures as f, given } from '../testing.ts';

const base = [f.enrolled('P-1'), f.opened('O-1')];
const approve = (amount: number, currency = 'USD') => ({
  type: 'ApproveCommission' as const,
  data: { opportunityId: 'O-1', partnerId: 'P-1', amount: { amount, currency }, approvedBy: 'PM-1' },
});
const adjust = (amount: number) => ({
  type: 'AdjustCommission' as const,
  data: {
    opportunityId: 'O-1',
    partnerId: 'P-1',
    amount: { amount, currency: 'USD' },
    reason: 'goodwill',
    approvedBy: 'PM-1',
  },
});

describe('commission decider', () => {
  it('approves commission on a won deal in the partner payout currency', () => {
    given([...base, f.won('O-1')])
      .when(approve(240_000))
      .then([{ type: 'CommissionApproved', data: approve(240_000).data }]);
  });

  it('refuses approval on an open deal, in another currency, of a non-positive amount', () => {
    given(base).when(approve(1)).thenRefuses('commission.not-won');
    given([...base, f.won('O-1')])
      .when(approve(1, 'EUR'))
      .thenRefuses('commission.currency-mismatch');
    given([...base, f.won('O-1')])
      .when(approve(0))
      .thenRefuses('commission.amount-not-positive');
  });

  it('refuses an unknown partner or deal', () => {
    given([f.opened('O-1'), f.won('O-1')])
      .when(approve(1))
      .thenRefuses('partner.not-found');
    given([f.enrolled('P-1')])
      .when(approve(1))
      .thenRefuses('opportunity.not-found');
  });

  it('adjusts by a signed, non-zero amount', () => {
    given(base)
      .when(adjust(-5_000))
      .then([{ type: 'CommissionAdjusted', data: adjust(-5_000).data }]);
    given(base).when(adjust(0)).thenRefuses('commission.amount-zero');
  });
});
