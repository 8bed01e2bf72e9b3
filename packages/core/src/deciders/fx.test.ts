import { describe, it } from 'vitest';
import { given } from '../testing.ts';

describe('fx decider', () => {
  it('records a rate between two currencies', () => {
    const data = { base: 'EUR', quote: 'USD', rate: '1.0850', source: 'ECB' };
    given([])
      .when({ type: 'RecordFxRate', data })
      .then([{ type: 'FxRateRecorded', data }]);
  });

  it('refuses a rate from a currency to itself', () => {
    given([])
      .when({ type: 'RecordFxRate', data: { base: 'USD', quote: 'USD', rate: '1', source: 'x' } })
      .thenRefuses('fx.same-currency');
  });
});
