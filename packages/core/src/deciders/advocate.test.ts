import { describe, expect, it } from 'vitest';
import { resolveRuleSet } from '../rules/resolve.ts';
import { at, fixtures as f, type GivenEvent, given } from '../testing.ts';

// A customer since 2025-01-01; defaults: minTenureDays 180, quietDays 30, maxPerQuarter 3.
const C = at(
  '2025-01-01T00:00:00Z',
  f.enrolled('C-1', { program: 'customer', customerSince: '2025-01-01T00:00:00Z', tier: 'bronze' }),
);
const NOW = '2026-03-01T00:00:00Z';
const send = (requestId: string) => ({
  type: 'SendReferralRequest' as const,
  data: { partnerId: 'C-1', requestId, step: 'ask' as const, channel: 'email' as const },
  metadata: { occurredAt: NOW },
});
const sent = (requestId: string, when: string): GivenEvent =>
  at(when, { type: 'ReferralRequestSent', data: { ...send(requestId).data } });
const signal = (s: 'nps' | 'support-issue', when: string, score?: number): GivenEvent =>
  at(when, {
    type: 'AdvocacySignalRecorded',
    data: { partnerId: 'C-1', signal: s, ...(score !== undefined ? { score } : {}) },
  });

describe('advocate decider', () => {
  it('sends a request to a customer that is not blocked', () => {
    given([C])
      .when(send('Q-1'))
      .then([{ type: 'ReferralRequestSent', data: send('Q-1').data }]);
  });

  it('refuses an offboarded customer, naming the reason', () => {
    const err = given([C, { type: 'PartnerOffboarded', data: { partnerId: 'C-1', reason: 'churned' } }])
      .when(send('Q-1'))
      .thenRefuses('advocate.blocked');
    expect(err.message).toContain('offboarded');
  });

  it('refuses a customer below the minimum tenure', () => {
    const young = f.enrolled('C-1', { program: 'customer', customerSince: '2026-01-01T00:00:00Z' });
    const err = given([young]).when(send('Q-1')).thenRefuses('advocate.blocked');
    expect(err.message).toContain('tenure');
  });

  it('refuses a customer with a detractor signal in the quiet period, and not after it', () => {
    const err = given([C, signal('nps', '2026-02-10T00:00:00Z', 5)])
      .when(send('Q-1'))
      .thenRefuses('advocate.blocked');
    expect(err.message).toContain('quiet');
    given([C, signal('support-issue', '2026-02-10T00:00:00Z')])
      .when(send('Q-1'))
      .thenRefuses('advocate.blocked');
    // 30 days before NOW is 2026-01-30T00:00Z, outside "the last 30 days" (T − 30 d, T].
    given([C, signal('support-issue', '2026-01-30T00:00:00Z'), signal('nps', '2026-02-20T00:00:00Z', 9)])
      .when(send('Q-1'))
      .then([{ type: 'ReferralRequestSent', data: send('Q-1').data }]);
  });

  it('refuses a customer whose quarterly quota is used', () => {
    const three = [
      sent('Q-1', '2026-01-01T00:00:00Z'),
      sent('Q-2', '2026-01-20T00:00:00Z'),
      sent('Q-3', '2026-02-10T00:00:00Z'),
    ];
    const err = given([C, ...three])
      .when(send('Q-4'))
      .thenRefuses('advocate.blocked');
    expect(err.message).toContain('quota');
    // The first falls out of the last 90 days under a later clock: 2026-04-01 − 90 d = 2026-01-01T00:00Z.
    given([C, ...three])
      .when({ ...send('Q-4'), metadata: { occurredAt: '2026-04-01T00:00:00Z' } })
      .then([{ type: 'ReferralRequestSent', data: send('Q-4').data }]);
    given([C, ...three])
      .when(send('Q-4'), { rules: resolveRuleSet({ requests: { maxPerQuarter: 4 } }) })
      .then([{ type: 'ReferralRequestSent', data: send('Q-4').data }]);
  });

  it("follows a policy's answer when one is given", () => {
    given([C]).when(send('Q-1'), { advocateBlocked: 'quota' }).thenRefuses('advocate.blocked');
    given([C, signal('support-issue', '2026-02-10T00:00:00Z')])
      .when(send('Q-1'), { advocateBlocked: null })
      .then([{ type: 'ReferralRequestSent', data: send('Q-1').data }]);
  });

  it('refuses a partner that is not a customer, an unknown one, a reused request id', () => {
    given([f.enrolled('C-1')])
      .when(send('Q-1'))
      .thenRefuses('advocate.not-a-customer');
    given([]).when(send('Q-1')).thenRefuses('partner.not-found');
    given([C, sent('Q-1', '2025-12-01T00:00:00Z')])
      .when(send('Q-1'))
      .thenRefuses('advocate.request-already-sent');
  });

  it('records signals, refusing an nps signal without a score', () => {
    const nps = {
      type: 'RecordAdvocacySignal' as const,
      data: { partnerId: 'C-1', signal: 'nps' as const, score: 10 },
    };
    given([C])
      .when(nps)
      .then([{ type: 'AdvocacySignalRecorded', data: nps.data }]);
    given([C])
      .when({ type: 'RecordAdvocacySignal', data: { partnerId: 'C-1', signal: 'nps' } })
      .thenRefuses('advocate.score-required');
  });
});
