import { describe, it } from 'vitest';
import { fixtures as f, given } from '../testing.ts';

describe('overlap decider', () => {
  const data = {
    partnerId: 'P-1',
    accountDomain: 'globex.example',
    ourRelationship: 'customer' as const,
    partnerRelationship: 'prospect' as const,
    source: 'crossbeam' as const,
  };
  it('records an overlap for an enrolled partner', () => {
    given([f.enrolled('P-1')])
      .when({ type: 'RecordAccountOverlap', data })
      .then([{ type: 'AccountOverlapDetected', data }]);
  });
  it('refuses an overlap for an unknown partner', () => {
    given([]).when({ type: 'RecordAccountOverlap', data }).thenRefuses('partner.not-found');
  });
});
