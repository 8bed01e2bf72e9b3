import { allocate, type EventData, type RecordedEvent } from '@referral-ledger/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel, LedgerModel } from '../model.ts';
import { computeAttribution } from './compute.ts';
import { LogBuilder, rules } from './log.fixture.ts';
import { type ModelTouch, modelShares } from './models.ts';
import type { AttributionModelName } from './types.ts';

const MODELS: AttributionModelName[] = [
  'first-to-register',
  'last-touch',
  'linear',
  'time-decay',
  'position-based',
  'multi-touch',
];
const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const PARTIES = ['P-1', 'P-2', 'P-3', 'house'];

const touchesArb = fc
  .array(fc.record({ party: fc.constantFrom(...PARTIES), dayOffset: fc.integer({ min: 0, max: 200 }) }), {
    maxLength: 12,
  })
  .map((ts) => ts.map((t) => ({ partyId: t.party, at: BASE + t.dayOffset * DAY, registration: false })));

describe('attribution properties', () => {
  it('every model gives shares summing to 1 and credited amounts summing to the value, for any touches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        touchesArb,
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (model, raw, withRegistration, amount, sourcedShare) => {
          const touches: ModelTouch[] = [...raw].sort((a, b) => a.at - b.at);
          if (withRegistration) touches.unshift({ partyId: 'P-1', at: BASE - DAY, registration: true });
          const out = modelShares({
            model,
            touches,
            sourcedPartyId: withRegistration ? 'P-1' : null,
            at: BASE + 201 * DAY,
            halfLifeMs: 7 * DAY,
            sourcedShare,
          });
          let sum = 0;
          for (const s of out.shares.values()) {
            expect(s).toBeGreaterThanOrEqual(0);
            sum += s;
          }
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-9);
          const alloc = allocate(
            amount,
            [...out.shares].filter(([, s]) => s > 0).map(([key, share]) => ({ key, share })),
          );
          let total = 0;
          for (const v of alloc.values()) total += v;
          expect(total).toBe(amount);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** A random but well-formed log: partners, referrals on a few domains, deals, touches, closes, disputes. */
const logArb = fc
  .record({
    referrals: fc.array(
      fc.record({
        partner: fc.constantFrom('P-1', 'P-2', 'P-3'),
        domain: fc.constantFrom('a.example', 'b.example', 'c.example'),
        day: fc.integer({ min: 0, max: 120 }),
        rejectedDay: fc.option(fc.integer({ min: 0, max: 200 })),
      }),
      { maxLength: 8 },
    ),
    deals: fc.array(
      fc.record({
        domain: fc.constantFrom('a.example', 'b.example', 'c.example', 'd.example'),
        openDay: fc.integer({ min: 0, max: 150 }),
        value: fc.integer({ min: 0, max: 10_000_000 }),
        touches: fc.array(
          fc.record({
            party: fc.constantFrom(...PARTIES),
            day: fc.integer({ min: 0, max: 200 }),
            kind: fc.constantFrom('influenced' as const, 'resold' as const, 'sourced' as const),
          }),
          { maxLength: 5 },
        ),
        wonDay: fc.option(fc.integer({ min: 0, max: 60 })),
        disputeDay: fc.option(fc.integer({ min: 0, max: 100 })),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ referrals, deals }) => {
    const log = new LogBuilder();
    const iso = (d: number) => new Date(BASE + d * DAY + 3_600_000).toISOString();
    referrals.forEach((r, i) => {
      log.referral(`R-${i}`, r.partner, iso(r.day), { email: `x${i}@${r.domain}` });
      if (r.rejectedDay !== null)
        log.add(
          'ReferralRejected',
          `referral-R-${i}`,
          {
            referralId: `R-${i}`,
            reason: 'r',
            partnerExplanation: 'e',
            approvedBy: 'pm',
          } as EventData<'ReferralRejected'>,
          iso(r.day + r.rejectedDay),
        );
    });
    deals.forEach((d, i) => {
      const id = `O-${i}`;
      log.open(id, iso(d.openDay), d.value, { domain: d.domain });
      for (const t of d.touches) log.touch(id, t.party, iso(t.day), t.kind);
      if (d.wonDay !== null) log.won(id, iso(d.openDay + d.wonDay), d.value);
      if (d.disputeDay !== null) {
        log.add(
          'AttributionDisputed',
          `dispute-D-${i}`,
          {
            disputeId: `D-${i}`,
            opportunityId: id,
            claimantPartnerId: 'P-2',
            claim: 'ours',
          } as EventData<'AttributionDisputed'>,
          iso(d.openDay + d.disputeDay),
        );
        log.add(
          'DisputeResolved',
          `dispute-D-${i}`,
          {
            disputeId: `D-${i}`,
            opportunityId: id,
            decision: 'split',
            decidedBy: 'pm',
            rationale: 'both helped',
            credits: [
              { partyId: 'P-1', share: 0.25 },
              { partyId: 'P-2', share: 0.75 },
            ],
          },
          iso(d.openDay + d.disputeDay + 3),
        );
      }
    });
    return log.events;
  });

function snapshot(model: LedgerModel) {
  return [...computeAttribution(model).values()]
    .map((a) => ({
      id: a.opportunityId,
      status: a.status,
      conflict: a.conflict,
      disputed: a.disputed,
      credits: a.credits,
    }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
}

describe('replay properties', () => {
  const asOf = new Date(BASE + 400 * DAY).toISOString();

  it('credited amounts sum to each deal value under every model', () => {
    fc.assert(
      fc.property(logArb, fc.constantFrom(...MODELS), (events, model) => {
        const m = buildModel(events, { asOf, rules: rules({ attribution: { model } }) });
        for (const a of computeAttribution(m).values()) {
          expect(a.credits.reduce((s, c) => s + c.amount, 0)).toBe(a.value.amount);
          expect(Math.abs(a.credits.reduce((s, c) => s + c.share, 0) - 1)).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic and independent of the order and batching in which events are applied', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.constantFrom(...MODELS),
        fc.integer({ min: 1, max: 7 }),
        fc.integer(),
        (events, model, batch, seed) => {
          const ruleSet = rules({ attribution: { model } });
          const expected = snapshot(buildModel(events, { asOf, rules: ruleSet }));
          expect(snapshot(buildModel(events, { asOf, rules: ruleSet }))).toEqual(expected);
          // Shuffle deterministically and apply in batches, finishing between batches.
          const shuffled = events
            .map((e, i) => ({ e, k: Math.imul(i + 1, 2654435761) ^ seed }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          const m = new LedgerModel({ asOf, rules: ruleSet });
          for (let i = 0; i < shuffled.length; i += batch) {
            for (const e of shuffled.slice(i, i + batch)) m.apply(e);
            m.finish();
          }
          expect(snapshot(m)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an as-of replay equals the replay of the log truncated at that time', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(...MODELS),
        (events, day, model) => {
          const t = BASE + day * DAY;
          const ruleSet = rules({ attribution: { model } });
          const truncated = events.filter((e: RecordedEvent) => Date.parse(e.metadata.occurredAt) <= t);
          expect(snapshot(buildModel(events, { asOf: t, rules: ruleSet }))).toEqual(
            snapshot(buildModel(truncated, { asOf: t, rules: ruleSet })),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
