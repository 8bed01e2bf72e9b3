import { describe, it } from 'vitest';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const O = f.opened('O-1');
const won = f.won('O-1');
const lost: GivenEvent = { type: 'OpportunityLost', data: { opportunityId: 'O-1', reason: 'budget' } };
const reopened: GivenEvent = {
  type: 'OpportunityReopened',
  data: { opportunityId: 'O-1', reason: 'came back' },
};
const usd = (amount: number) => ({ amount, currency: 'USD' });
const win = { type: 'WinOpportunity' as const, data: { opportunityId: 'O-1', value: usd(1_200_000) } };
const lose = { type: 'LoseOpportunity' as const, data: { opportunityId: 'O-1', reason: 'budget' } };

describe('opportunity decider', () => {
  it('opens once', () => {
    given([])
      .when({ type: 'OpenOpportunity', data: O.data as never })
      .then([O]);
    given([O])
      .when({ type: 'OpenOpportunity', data: O.data as never })
      .thenRefuses('opportunity.already-opened');
  });

  it('refuses commands on an opportunity never opened', () => {
    given([]).when(win).thenRefuses('opportunity.not-found');
  });

  it('wins an open deal, refusing a win after a loss without a reopen', () => {
    given([O]).when(win).then([won]);
    given([O, lost]).when(win).thenRefuses('opportunity.already-closed');
    given([O, won]).when(win).thenRefuses('opportunity.already-closed');
    given([O, lost, reopened]).when(win).then([won]);
  });

  it('loses an open deal, refusing a loss after a win', () => {
    given([O]).when(lose).then([lost]);
    given([O, won]).when(lose).thenRefuses('opportunity.already-closed');
  });

  it('reopens a closed deal only', () => {
    const reopen = { type: 'ReopenOpportunity' as const, data: reopened.data as never };
    given([O, lost]).when(reopen).then([reopened]);
    given([O]).when(reopen).thenRefuses('opportunity.not-closed');
  });

  it('changes the value of an open deal only', () => {
    const change = { type: 'ChangeOpportunityValue' as const, data: { opportunityId: 'O-1', value: usd(5) } };
    given([O])
      .when(change)
      .then([{ type: 'OpportunityValueChanged', data: change.data }]);
    given([O, won]).when(change).thenRefuses('opportunity.already-closed');
  });

  it('records touches of enrolled partners and the house', () => {
    const touch = (partyId: string) => ({
      type: 'RecordTouchpoint' as const,
      data: { opportunityId: 'O-1', partyId, kind: 'influenced' as const, activity: 'demo' },
    });
    given([O, f.enrolled('P-1')])
      .when(touch('P-1'))
      .then([{ type: 'TouchpointRecorded', data: touch('P-1').data }]);
    given([O])
      .when(touch('house'))
      .then([{ type: 'TouchpointRecorded', data: touch('house').data }]);
    given([O]).when(touch('P-9')).thenRefuses('partner.not-found');
  });

  it('reverses won revenue up to the won value, in its currency', () => {
    const rev = (amount: number, currency = 'USD') => ({
      type: 'ReverseRevenue' as const,
      data: { opportunityId: 'O-1', value: { amount, currency }, reason: 'refund' as const },
    });
    given([O, won])
      .when(rev(200_000))
      .then([{ type: 'RevenueReversed', data: rev(200_000).data }]);
    given([O]).when(rev(1)).thenRefuses('opportunity.not-won');
    given([O, won]).when(rev(1, 'EUR')).thenRefuses('opportunity.currency-mismatch');
    given([O, won]).when(rev(0)).thenRefuses('opportunity.reversal-not-positive');
    given([O, won, { type: 'RevenueReversed', data: rev(1_000_000).data }])
      .when(rev(200_001))
      .thenRefuses('opportunity.reversal-exceeds-value');
  });
});
