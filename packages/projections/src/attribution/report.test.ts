import type { EventData } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model.ts';
import { LogBuilder, rules } from './log.fixture.ts';
import { attributionReport, disputesReport, sourcesReport } from './report.ts';

const AS_OF = '2026-06-01T00:00:00Z';
const LINEAR = rules({ attribution: { model: 'linear' } });

/** P-1 sources O-1 (USD); P-2 resells it; O-2 is a EUR deal influenced by P-2 and the house. */
function log() {
  return new LogBuilder()
    .add(
      'FxRateRecorded',
      'fx',
      { base: 'EUR', quote: 'USD', rate: '1.1', source: 'ecb' },
      '2026-01-01T00:00:00Z',
    )
    .referral('R-1', 'P-1', '2026-01-05T00:00:00Z', { email: 'a@acme.example' })
    .open('O-1', '2026-01-10T00:00:00Z', 1000, { domain: 'acme.example' })
    .touch('O-1', 'P-2', '2026-01-12T00:00:00Z', 'resold')
    .won('O-1', '2026-02-01T00:00:00Z', 1000)
    .open('O-2', '2026-01-10T00:00:00Z', 2000, { currency: 'EUR' })
    .touch('O-2', 'P-2', '2026-01-12T00:00:00Z')
    .touch('O-2', 'house', '2026-01-13T00:00:00Z')
    .won('O-2', '2026-02-01T00:00:00Z', 2000, 'EUR')
    .open('O-3', '2026-01-10T00:00:00Z', 500)
    .touch('O-3', 'P-3', '2026-01-12T00:00:00Z');
}

describe('attribution report', () => {
  it('lists every deal sorted by id with its credits and sourced party', () => {
    const r = attributionReport(buildModel(log().events, { asOf: AS_OF, rules: LINEAR }));
    expect(r.asOf).toBe('2026-06-01T00:00:00.000Z');
    expect(r.opportunities.map((o) => [o.opportunityId, o.status, o.sourcedPartyId])).toEqual([
      ['O-1', 'won', 'P-1'],
      ['O-2', 'won', null],
      ['O-3', 'open', null],
    ]);
    expect(r.opportunities[0]!.credits.map((c) => [c.partyId, c.kind, c.amount])).toEqual([
      ['P-1', 'sourced', 500],
      ['P-2', 'resold', 500],
    ]);
  });

  it('shows a partner only the deals it is credited on, with only its own credit', () => {
    const r = attributionReport(buildModel(log().events, { asOf: AS_OF, rules: LINEAR }), { partner: 'P-2' });
    expect(
      r.opportunities.map((o) => [o.opportunityId, o.credits.map((c) => [c.partyId, c.amount])]),
    ).toEqual([
      ['O-1', [['P-2', 500]]],
      ['O-2', [['P-2', 1000]]],
    ]);
    expect(JSON.stringify(r)).not.toContain('P-1');
    expect(JSON.stringify(r)).not.toContain('house');
  });
});

describe('sources report', () => {
  it('adds won credits by kind in the rule set currency, converting a EUR deal at its close', () => {
    const r = sourcesReport(buildModel(log().events, { asOf: AS_OF, rules: LINEAR }));
    // O-1: P-1 sourced 500, P-2 resold 500 (USD). O-2: P-2 influenced €10.00 → 1100, house €10.00 → 1100.
    expect(r).toMatchObject({
      currency: 'USD',
      sourced: 500,
      resold: 500,
      influenced: 1100,
      house: 1100,
      deals: 2,
    });
  });

  it('leaves out a deal with no exchange rate at its close and names it', () => {
    const events = log().events.filter((e) => e.type !== 'FxRateRecorded');
    const r = sourcesReport(buildModel(events, { asOf: AS_OF, rules: LINEAR }));
    expect(r.missingFxRate).toEqual(['O-2']);
    expect(r.influenced).toBe(0);
  });

  it('counts only deals closed in the period and, for a partner, only its own credits', () => {
    const model = buildModel(log().events, { asOf: AS_OF, rules: LINEAR });
    expect(sourcesReport(model, { from: Date.parse('2026-03-01T00:00:00Z') }).deals).toBe(0);
    expect(sourcesReport(model, { partner: 'P-2' })).toMatchObject({
      sourced: 0,
      resold: 500,
      influenced: 1100,
      house: 0,
    });
  });
});

describe('disputes report', () => {
  it('lists open disputes first with their age in whole hours, then resolved ones', () => {
    const l = log()
      .add(
        'AttributionDisputed',
        'dispute-D-1',
        {
          disputeId: 'D-1',
          opportunityId: 'O-1',
          claimantPartnerId: 'P-2',
          claim: 'ours',
        } as EventData<'AttributionDisputed'>,
        '2026-02-02T00:00:00Z',
      )
      .add(
        'DisputeResolved',
        'dispute-D-1',
        { disputeId: 'D-1', opportunityId: 'O-1', decision: 'rejected', decidedBy: 'pm', rationale: 'no' },
        '2026-02-03T12:30:00Z',
      )
      .add(
        'AttributionDisputed',
        'dispute-D-2',
        {
          disputeId: 'D-2',
          opportunityId: 'O-2',
          claimantPartnerId: 'P-3',
          claim: 'ours too',
        } as EventData<'AttributionDisputed'>,
        '2026-05-31T00:30:00Z',
      );
    const r = disputesReport(buildModel(l.events, { asOf: AS_OF }));
    expect(r.disputes.map((d) => [d.disputeId, d.status, d.ageHours])).toEqual([
      ['D-2', 'open', 23],
      ['D-1', 'rejected', 36],
    ]);
    expect(disputesReport(buildModel(l.events, { asOf: AS_OF }), { partner: 'P-3' }).disputes).toHaveLength(
      1,
    );
  });
});
