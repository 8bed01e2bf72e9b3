import type { EventData } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model.ts';
import { computeAttribution } from './compute.ts';
import { LogBuilder, rules } from './log.fixture.ts';

const AS_OF = '2026-12-31T00:00:00Z';
const FTR = rules({ attribution: { model: 'first-to-register' } });

function attribution(log: LogBuilder, ruleSet = FTR, asOf = AS_OF) {
  return computeAttribution(buildModel(log.events, { asOf, rules: ruleSet }));
}

function credits(log: LogBuilder, opp: string, ruleSet = FTR, asOf = AS_OF) {
  return attribution(log, ruleSet, asOf)
    .get(opp)!
    .credits.map((c) => [c.partyId, c.kind, c.amount]);
}

describe('first to register', () => {
  it('credits the earliest registration for the account domain and treats the later one as a duplicate', () => {
    const log = new LogBuilder()
      .partner('P-1')
      .partner('P-2')
      .referral('R-1', 'P-1', '2026-01-05T09:00:00Z', {
        email: 'jane@acme.example',
        website: 'https://www.acme.example',
      })
      .referral('R-2', 'P-2', '2026-01-10T09:00:00Z', { email: 'bob@acme.example' })
      .open('O-1', '2026-01-20T15:00:00Z', 10_000_000, { domain: 'acme.example' })
      .won('O-1', '2026-02-01T17:00:00Z', 12_000_000);
    const a = attribution(log).get('O-1')!;
    expect(a.credits).toEqual([{ partyId: 'P-1', kind: 'sourced', share: 1, amount: 12_000_000 }]);
    expect(a.sourcedPartyId).toBe('P-1');
    expect(a.conflict).toBe(false);
    expect(a.explanation.registrations.map((r) => [r.referralId, r.outcome])).toEqual([
      ['R-1', 'sourced'],
      ['R-2', 'later'],
    ]);
  });

  it('breaks a tie in registration time by log position and marks the deal as a conflict', () => {
    const log = new LogBuilder()
      .referral('R-2', 'P-2', '2026-01-05T09:00:00Z', { email: 'bob@acme.example' })
      .referral('R-1', 'P-1', '2026-01-05T09:00:00Z', { email: 'jane@acme.example' })
      .open('O-1', '2026-01-20T00:00:00Z', 1000, { domain: 'acme.example' });
    const a = attribution(log).get('O-1')!;
    // R-2 is first in the log (position 1), so P-2 wins the tie.
    expect(a.credits.map((c) => c.partyId)).toEqual(['P-2']);
    expect(a.conflict).toBe(true);
    expect(a.explanation.registrations.find((r) => r.referralId === 'R-1')!.outcome).toBe('tie-lost');
  });

  it('does not mark a conflict when both tied registrations are from the same partner', () => {
    const log = new LogBuilder()
      .referral('R-1', 'P-1', '2026-01-05T09:00:00Z', { email: 'a@acme.example' })
      .referral('R-2', 'P-1', '2026-01-05T09:00:00Z', { email: 'b@acme.example' })
      .open('O-1', '2026-01-20T00:00:00Z', 1000, { domain: 'acme.example' });
    expect(attribution(log).get('O-1')!.conflict).toBe(false);
  });

  it('gives the house the deal when the protection window lapsed the day before the opening', () => {
    // 60 days from 1 January 00:00 ends 2 March 00:00; the deal opens on 3 March.
    const log = new LogBuilder()
      .referral('R-1', 'P-1', '2026-01-01T00:00:00Z', { email: 'jane@acme.example' })
      .open('O-1', '2026-03-03T00:00:00Z', 5000, { domain: 'acme.example' });
    const a = attribution(log).get('O-1')!;
    expect(a.credits).toEqual([{ partyId: 'house', kind: 'house', share: 1, amount: 5000 }]);
    expect(a.explanation.registrations[0]!.outcome).toBe('window-lapsed');
    expect(a.explanation.registrations[0]!.windowTo).toBe(Date.parse('2026-03-02T00:00:00Z'));
  });

  it('treats the window end as exclusive and its last millisecond as inside', () => {
    const at = (open: string) =>
      credits(
        new LogBuilder()
          .referral('R-1', 'P-1', '2026-01-01T00:00:00Z', { email: 'jane@acme.example' })
          .open('O-1', open, 5000, { domain: 'acme.example' }),
        'O-1',
      );
    expect(at('2026-03-02T00:00:00Z')).toEqual([['house', 'house', 5000]]);
    expect(at('2026-03-01T23:59:59.999Z')).toEqual([['P-1', 'sourced', 5000]]);
  });

  it('matches by contact email only when matchOn has email, and ignores a free-mail domain', () => {
    const log = new LogBuilder()
      .referral('R-1', 'P-1', '2026-01-01T00:00:00Z', { email: ' Jane@Gmail.com ' })
      .open('O-1', '2026-01-10T00:00:00Z', 100, { domain: 'gmail.com', emails: ['jane@gmail.com'] });
    expect(credits(log, 'O-1')).toEqual([['P-1', 'sourced', 100]]);
    const domainOnly = rules({ registration: { matchOn: ['domain'] } });
    expect(credits(log, 'O-1', domainOnly)).toEqual([['house', 'house', 100]]);
  });

  it('skips a rejected or withdrawn referral and credits the next candidate', () => {
    const base = () =>
      new LogBuilder()
        .referral('R-1', 'P-1', '2026-01-01T00:00:00Z', { email: 'a@acme.example' })
        .referral('R-2', 'P-2', '2026-01-02T00:00:00Z', { email: 'b@acme.example' })
        .open('O-1', '2026-01-10T00:00:00Z', 100, { domain: 'acme.example' });
    const rejected = base().add(
      'ReferralRejected',
      'referral-R-1',
      {
        referralId: 'R-1',
        reason: 'not a fit',
        partnerExplanation: 'outside our market',
        approvedBy: 'pm',
      } as EventData<'ReferralRejected'>,
      '2026-01-12T00:00:00Z',
    );
    expect(credits(rejected, 'O-1')).toEqual([['P-2', 'sourced', 100]]);
    const withdrawn = base().add(
      'ReferralWithdrawn',
      'referral-R-1',
      { referralId: 'R-1' } as EventData<'ReferralWithdrawn'>,
      '2026-01-03T00:00:00Z',
    );
    expect(credits(withdrawn, 'O-1')).toEqual([['P-2', 'sourced', 100]]);
    // As of before the rejection, R-1 is still a candidate.
    expect(credits(rejected, 'O-1', FTR, '2026-01-11T00:00:00Z')).toEqual([['P-1', 'sourced', 100]]);
  });

  it('does not credit a referral converted to the deal but submitted after it opened', () => {
    const log = new LogBuilder()
      .open('O-1', '2026-01-10T00:00:00Z', 100)
      .referral('R-1', 'P-1', '2026-01-11T00:00:00Z', { email: 'a@elsewhere.example' })
      .add(
        'ReferralConverted',
        'referral-R-1',
        { referralId: 'R-1', opportunityId: 'O-1' } as EventData<'ReferralConverted'>,
        '2026-01-12T00:00:00Z',
      );
    const a = attribution(log).get('O-1')!;
    expect(a.credits.map((c) => c.partyId)).toEqual(['house']);
    expect(a.explanation.registrations[0]!.outcome).toBe('after-opening');
  });

  it('credits a converted referral even when its protection window had lapsed', () => {
    const log = new LogBuilder()
      .referral('R-1', 'P-1', '2025-01-01T00:00:00Z', { email: 'a@other.example' })
      .open('O-1', '2026-01-10T00:00:00Z', 100)
      .add(
        'ReferralConverted',
        'referral-R-1',
        { referralId: 'R-1', opportunityId: 'O-1' } as EventData<'ReferralConverted'>,
        '2026-01-12T00:00:00Z',
      );
    expect(credits(log, 'O-1')).toEqual([['P-1', 'sourced', 100]]);
  });
});

describe('touch models', () => {
  const T = '2026-03-31T00:00:00Z';
  const day = (d: number) => new Date(Date.parse(T) - d * 86_400_000).toISOString();

  it('last-touch credits the last touch, ties broken by log position', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 1000)
      .touch('O-1', 'P-1', day(5))
      .touch('O-1', 'P-3', day(1))
      .touch('O-1', 'P-2', day(1))
      .won('O-1', T, 1000);
    expect(credits(log, 'O-1', rules({ attribution: { model: 'last-touch' } }))).toEqual([
      ['P-2', 'influenced', 1000],
    ]);
  });

  it('linear splits equally and gives the leftover cent to the lowest party id', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 100)
      .touch('O-1', 'P-3', day(3))
      .touch('O-1', 'P-1', day(2))
      .touch('O-1', 'P-2', day(1))
      .won('O-1', T, 100);
    expect(credits(log, 'O-1', rules({ attribution: { model: 'linear' } }))).toEqual([
      ['P-1', 'influenced', 34],
      ['P-2', 'influenced', 33],
      ['P-3', 'influenced', 33],
    ]);
  });

  it('time-decay halves a touch one half-life before the close', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 300)
      .touch('O-1', 'P-1', day(7))
      .touch('O-1', 'P-2', day(0))
      .won('O-1', T, 300);
    const a = attribution(log, rules({ attribution: { model: 'time-decay', halfLifeDays: 7 } })).get('O-1')!;
    expect(a.credits.map((c) => [c.partyId, c.amount])).toEqual([
      ['P-1', 100],
      ['P-2', 200],
    ]);
    expect(a.credits[0]!.share).toBeCloseTo(1 / 3, 12);
    expect(a.explanation.touches.map((t) => t.weight)).toEqual([0.5, 1]);
  });

  it('position-based gives 40/20/40 and the tied remainder to the lower party id', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 1001)
      .touch('O-1', 'P-1', day(4))
      .touch('O-1', 'P-2', day(3))
      .touch('O-1', 'P-2', day(2))
      .touch('O-1', 'house', day(1))
      .won('O-1', T, 1001);
    // P-1 0.4 → 400.4, P-2 0.1 + 0.1 → 200.2, house 0.4 → 400.4; the spare cent goes to "P-1" < "house".
    expect(credits(log, 'O-1', rules({ attribution: { model: 'position-based' } }))).toEqual([
      ['P-1', 'influenced', 401],
      ['P-2', 'influenced', 200],
      ['house', 'house', 400],
    ]);
  });

  it('position-based splits two touches in half and gives one touch everything', () => {
    const pb = rules({ attribution: { model: 'position-based' } });
    const two = new LogBuilder()
      .open('O-1', day(60), 100)
      .touch('O-1', 'P-1', day(4))
      .touch('O-1', 'P-2', day(3))
      .won('O-1', T, 100);
    expect(credits(two, 'O-1', pb)).toEqual([
      ['P-1', 'influenced', 50],
      ['P-2', 'influenced', 50],
    ]);
    const one = new LogBuilder().open('O-1', day(60), 100).touch('O-1', 'P-2', day(3)).won('O-1', T, 100);
    expect(credits(one, 'O-1', pb)).toEqual([['P-2', 'influenced', 100]]);
  });

  it('multi-touch gives the sourced partner its share and splits the rest by time decay', () => {
    const log = new LogBuilder()
      .referral('R-1', 'P-1', day(30), { email: 'a@o-1.example' })
      .open('O-1', day(20), 100_000)
      .touch('O-1', 'P-2', day(7), 'resold')
      .touch('O-1', 'P-1', day(0))
      .won('O-1', T, 100_000);
    // P-2 weighs 0.5, P-1's own touchpoint 1: the 0.6 left splits 0.2 / 0.4.
    expect(
      credits(
        log,
        'O-1',
        rules({ attribution: { model: 'multi-touch', halfLifeDays: 7, sourcedShare: 0.4 } }),
      ),
    ).toEqual([
      ['P-1', 'sourced', 80_000],
      ['P-2', 'resold', 20_000],
    ]);
  });

  it('multi-touch gives the sourced partner everything when nobody else touched the deal', () => {
    const log = new LogBuilder()
      .referral('R-1', 'P-1', day(30), { email: 'a@o-1.example' })
      .open('O-1', day(20), 500)
      .won('O-1', T, 500);
    expect(credits(log, 'O-1', rules({ attribution: { model: 'multi-touch' } }))).toEqual([
      ['P-1', 'sourced', 500],
    ]);
  });

  it('multi-touch without a sourced partner is plain time decay', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 300)
      .touch('O-1', 'P-1', day(7))
      .touch('O-1', 'P-2', day(0))
      .won('O-1', T, 300);
    expect(credits(log, 'O-1', rules({ attribution: { model: 'multi-touch', halfLifeDays: 7 } }))).toEqual([
      ['P-1', 'influenced', 100],
      ['P-2', 'influenced', 200],
    ]);
  });

  it('counts a touch exactly lookbackDays before the close and drops one a millisecond earlier or after the close', () => {
    const lookback = new Date(Date.parse(T) - 30 * 86_400_000);
    const log = new LogBuilder()
      .referral('R-1', 'P-1', day(200), { email: 'a@o-1.example' })
      .add(
        'ReferralConverted',
        'referral-R-1',
        { referralId: 'R-1', opportunityId: 'O-1' } as EventData<'ReferralConverted'>,
        day(150),
      )
      .open('O-1', day(150), 300)
      .touch('O-1', 'P-2', lookback.toISOString())
      .touch('O-1', 'P-3', new Date(lookback.getTime() - 1).toISOString())
      .won('O-1', T, 300)
      .touch('O-1', 'P-4', day(-1));
    const a = attribution(log, rules({ attribution: { model: 'linear', lookbackDays: 30 } })).get('O-1')!;
    // The registration (200 days old) is exempt from the lookback; P-3 is too old, P-4 after the close.
    expect(a.credits.map((c) => [c.partyId, c.kind, c.amount])).toEqual([
      ['P-1', 'sourced', 150],
      ['P-2', 'influenced', 150],
    ]);
    expect(a.explanation.touches.map((t) => [t.partyId, t.excludedBecause])).toEqual([
      ['P-1', null],
      ['P-3', 'before-lookback'],
      ['P-2', null],
      ['P-4', 'after-close'],
    ]);
  });

  it('gives the house everything when no touch counts, whatever the model', () => {
    for (const model of ['last-touch', 'linear', 'time-decay', 'position-based', 'multi-touch']) {
      const log = new LogBuilder().open('O-1', day(60), 700).won('O-1', T, 700);
      expect(credits(log, 'O-1', rules({ attribution: { model } }))).toEqual([['house', 'house', 700]]);
    }
  });

  it('evaluates an open deal at the as-of time and credits its open value', () => {
    const log = new LogBuilder()
      .open('O-1', day(60), 300)
      .touch('O-1', 'P-1', day(14))
      .touch('O-1', 'P-2', day(7));
    const a = attribution(log, rules({ attribution: { model: 'time-decay', halfLifeDays: 7 } }), T).get(
      'O-1',
    )!;
    expect(a.status).toBe('open');
    expect(a.credits.map((c) => c.amount)).toEqual([100, 200]);
  });
});

describe('disputes', () => {
  const build = () =>
    new LogBuilder()
      .referral('R-1', 'P-1', '2026-01-01T00:00:00Z', { email: 'a@acme.example' })
      .open('O-1', '2026-01-10T00:00:00Z', 1000, { domain: 'acme.example' })
      .touch('O-1', 'P-2', '2026-01-15T00:00:00Z', 'resold')
      .won('O-1', '2026-02-01T00:00:00Z', 1000)
      .add(
        'AttributionDisputed',
        'dispute-D-1',
        {
          disputeId: 'D-1',
          opportunityId: 'O-1',
          claimantPartnerId: 'P-2',
          claim: 'we brought them in',
        } as EventData<'AttributionDisputed'>,
        '2026-02-03T00:00:00Z',
      );
  const resolve = (log: LogBuilder, decision: string, at: string, cr?: unknown[], id = 'D-1') =>
    log.add(
      'DisputeResolved',
      `dispute-${id}`,
      {
        disputeId: id,
        opportunityId: 'O-1',
        decision,
        decidedBy: 'pm-1',
        rationale: 'reviewed',
        ...(cr ? { credits: cr } : {}),
      } as EventData<'DisputeResolved'>,
      at,
    );

  it('marks the deal disputed while the dispute is open and keeps the computed credits', () => {
    const a = attribution(build()).get('O-1')!;
    expect(a.disputed).toBe(true);
    expect(a.credits.map((c) => [c.partyId, c.amount])).toEqual([['P-1', 1000]]);
  });

  it('replaces the credits by an upheld resolution, a credit without kind taking its §5 kind', () => {
    const log = resolve(build(), 'upheld', '2026-02-05T00:00:00Z', [{ partyId: 'P-2', share: 1 }]);
    const a = attribution(log).get('O-1')!;
    expect(a.disputed).toBe(false);
    expect(a.credits).toEqual([{ partyId: 'P-2', kind: 'resold', share: 1, amount: 1000 }]);
    expect(a.sourcedPartyId).toBeNull();
    // As of before the resolution, it is still disputed with the computed credits.
    const before = attribution(log, FTR, '2026-02-04T00:00:00Z').get('O-1')!;
    expect(before.disputed).toBe(true);
    expect(before.credits.map((c) => c.partyId)).toEqual(['P-1']);
  });

  it('splits the deal by a split resolution with the kinds it names', () => {
    const log = resolve(build(), 'split', '2026-02-05T00:00:00Z', [
      { partyId: 'P-1', share: 0.7, kind: 'sourced' },
      { partyId: 'P-2', share: 0.3, kind: 'influenced' },
    ]);
    const a = attribution(log).get('O-1')!;
    expect(a.credits.map((c) => [c.partyId, c.kind, c.amount])).toEqual([
      ['P-1', 'sourced', 700],
      ['P-2', 'influenced', 300],
    ]);
    expect(a.sourcedPartyId).toBe('P-1');
  });

  it('leaves the credits as computed when the dispute is rejected', () => {
    const a = attribution(resolve(build(), 'rejected', '2026-02-05T00:00:00Z')).get('O-1')!;
    expect(a.disputed).toBe(false);
    expect(a.credits.map((c) => [c.partyId, c.amount])).toEqual([['P-1', 1000]]);
    expect(a.explanation.disputes[0]!.status).toBe('rejected');
  });

  it('applies the latest upheld or split resolution across disputes', () => {
    let log = resolve(build(), 'upheld', '2026-02-05T00:00:00Z', [{ partyId: 'P-2', share: 1 }]);
    log = log.add(
      'AttributionDisputed',
      'dispute-D-2',
      {
        disputeId: 'D-2',
        opportunityId: 'O-1',
        claimantPartnerId: 'P-1',
        claim: 'our registration was first',
      } as EventData<'AttributionDisputed'>,
      '2026-02-06T00:00:00Z',
    );
    log = resolve(
      log,
      'split',
      '2026-02-08T00:00:00Z',
      [
        { partyId: 'P-1', share: 0.5 },
        { partyId: 'P-2', share: 0.5 },
      ],
      'D-2',
    );
    const a = attribution(log).get('O-1')!;
    expect(a.credits.map((c) => [c.partyId, c.kind, c.amount])).toEqual([
      ['P-1', 'sourced', 500],
      ['P-2', 'resold', 500],
    ]);
    expect(a.explanation.disputes.map((d) => [d.disputeId, d.applied])).toEqual([
      ['D-1', false],
      ['D-2', true],
    ]);
  });
});

describe('rule versions', () => {
  it('attributes each deal under the publication in force at its close', () => {
    const publish = (log: LogBuilder, version: string, from: string, model: string) =>
      log.add(
        'RuleSetPublished',
        'rules',
        { version, effectiveFrom: from, rules: { attribution: { model } } } as EventData<'RuleSetPublished'>,
        '2025-12-01T00:00:00Z',
      );
    let log = new LogBuilder();
    log = publish(log, 'v1', '2026-01-01T00:00:00Z', 'first-to-register');
    log = publish(log, 'v2', '2026-03-01T00:00:00Z', 'linear');
    log
      .open('O-1', '2026-01-05T00:00:00Z', 100)
      .touch('O-1', 'P-1', '2026-01-06T00:00:00Z')
      .won('O-1', '2026-02-01T00:00:00Z', 100)
      .open('O-2', '2026-01-05T00:00:00Z', 100)
      .touch('O-2', 'P-1', '2026-01-06T00:00:00Z')
      .won('O-2', '2026-03-02T00:00:00Z', 100);
    const all = computeAttribution(buildModel(log.events, { asOf: AS_OF }));
    expect([all.get('O-1')!.ruleVersion, all.get('O-1')!.credits[0]!.partyId]).toEqual(['v1', 'house']);
    expect([all.get('O-2')!.ruleVersion, all.get('O-2')!.credits[0]!.partyId]).toEqual(['v2', 'P-1']);
  });
});

describe('lazy explanations', () => {
  const log = () =>
    new LogBuilder()
      .partner('P-1')
      .referral('R-1', 'P-1', '2026-01-05T09:00:00Z', { email: 'jane@acme.example' })
      .open('O-1', '2026-01-20T15:00:00Z', 10_000_000, { domain: 'acme.example' })
      .open('O-2', '2026-01-21T15:00:00Z', 5_000_000, { domain: 'other.example' })
      .won('O-1', '2026-02-01T17:00:00Z', 12_000_000);

  it('explains every deal of a replay from indexes built again on the first ask', () => {
    const l = log();
    const model = buildModel(l.events, { asOf: AS_OF, rules: FTR });
    const all = computeAttribution(model);
    const eager = computeAttribution(buildModel(l.events, { asOf: AS_OF, rules: FTR }));
    for (const [id, a] of all) expect(a.explanation).toEqual(eager.get(id)!.explanation);
    expect(all.get('O-1')!.explanation.registrations.map((r) => r.outcome)).toEqual(['sourced']);
  });

  it('refuses to explain figures computed before the model changed', () => {
    const l = log();
    const model = buildModel(l.events, { asOf: AS_OF, rules: FTR });
    const a = computeAttribution(model).get('O-1')!;
    const extra = new LogBuilder().partner('P-9').events[0]!;
    model.apply({ ...extra, position: l.events.length + 1 });
    expect(() => a.explanation).toThrow(/model has changed since this attribution was computed/);
    expect(computeAttribution(model).get('O-1')!.explanation.registrations).toHaveLength(1);
  });
});
