import { readFileSync } from 'node:fs';
import { type EventData, ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { type IngestCommand, ingestEventId } from './command.ts';

const ov = (c: IngestCommand): EventData<'AccountOverlapDetected'> =>
  c.data as EventData<'AccountOverlapDetected'>;
import { mapCrossbeam, mapReveal, relationshipOf } from './overlaps.ts';

const raw = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const partners = [
  { partnerId: 'P-BOZ', name: 'Bozala' },
  { partnerId: 'P-CB', name: 'CrowdBlossom' },
];

describe('population names', () => {
  it('maps populations to relationships, the strongest winning', () => {
    expect(relationshipOf('Prospects')).toBe('prospect');
    expect(relationshipOf('Open Opportunities')).toBe('opportunity');
    expect(relationshipOf('Prospects; Customers')).toBe('customer');
    expect(relationshipOf('Churned customers')).toBeUndefined();
  });
});

describe('Crossbeam export', () => {
  it('maps rows to overlaps of the partner found by name, merging duplicate accounts', () => {
    const cmds = mapCrossbeam(raw('crossbeam/account-mapping-export.csv'), { context: { partners } });
    expect(cmds.map((c) => c.data)).toEqual([
      {
        partnerId: 'P-BOZ',
        accountDomain: 'acme.example',
        ourRelationship: 'customer',
        partnerRelationship: 'customer',
        source: 'crossbeam',
      },
      {
        partnerId: 'P-BOZ',
        accountDomain: 'globex.example',
        ourRelationship: 'opportunity',
        partnerRelationship: 'prospect',
        source: 'crossbeam',
      },
      {
        partnerId: 'P-BOZ',
        accountDomain: 'initech.example',
        ourRelationship: 'none',
        partnerRelationship: 'opportunity',
        source: 'crossbeam',
      },
    ]);
    expect(cmds[0]!.metadata).toEqual({
      eventId: ingestEventId(
        'crossbeam',
        'overlap',
        'P-BOZ',
        'acme.example',
        'customer',
        'customer',
        '2026-02-01T00:00:00Z',
      ),
      occurredAt: '2026-02-01T00:00:00Z',
    });
    expect(mapCrossbeam(raw('crossbeam/account-mapping-export.csv'), { context: { partners } })).toEqual(
      cmds,
    );
  });

  it('puts every row on --partner when given', () => {
    const cmds = mapCrossbeam(raw('crossbeam/account-mapping-export.csv'), { partner: 'P-X' });
    expect(new Set(cmds.map((c) => ov(c).partnerId as string))).toEqual(new Set(['P-X']));
  });

  it('refuses an unknown partner, a custom population and a missing domain column, naming the row', () => {
    expect(refusal(() => mapCrossbeam(raw('crossbeam/account-mapping-export.csv'))).path).toBe(
      'row 2.Partner',
    );
    const e = refusal(() => mapCrossbeam(raw('crossbeam/malformed-population.csv'), { partner: 'P-X' }));
    expect(e.path).toBe('row 2.Partner Populations');
    expect(e.message).toContain('Churned accounts');
    expect(
      refusal(() => mapCrossbeam('Name,Partner Populations\r\nAcme,Customers\r\n', { partner: 'P' })).path,
    ).toBe('row 1');
  });
});

describe('Reveal export', () => {
  it('maps statuses and open-opportunity flags, needing the export time without a date column', () => {
    const csv = raw('reveal/account-mapping-export.csv');
    expect(refusal(() => mapReveal(csv, { context: { partners } })).path).toBe('row 2');
    const cmds = mapReveal(csv, { context: { partners }, exportedAt: '2026-02-03T12:00:00Z' });
    expect(cmds.map((c) => [ov(c).accountDomain, ov(c).ourRelationship, ov(c).partnerRelationship])).toEqual([
      ['hooli.example', 'opportunity', 'customer'],
      ['piedpiper.example', 'customer', 'opportunity'],
      ['raviga.example', 'none', 'prospect'],
    ]);
    expect(
      cmds.every((c) => ov(c).partnerId === 'P-CB' && c.metadata.occurredAt === '2026-02-03T12:00:00.000Z'),
    ).toBe(true);
  });
});

describe('docs/integrations.md sample', () => {
  it('maps the documented one-row export', () => {
    const cmds = mapCrossbeam(
      'Website,Partner,Partner Populations,Populations\r\nacme.example,Bozala,Customers,Prospects\r\n',
      { context: { partners: [{ partnerId: 'P-BOZ', name: 'bozala' }] }, exportedAt: '2026-02-01T00:00:00Z' },
    );
    expect(cmds.map((c) => [c.type, c.data])).toEqual([
      [
        'RecordAccountOverlap',
        {
          partnerId: 'P-BOZ',
          accountDomain: 'acme.example',
          ourRelationship: 'prospect',
          partnerRelationship: 'customer',
          source: 'crossbeam',
        },
      ],
    ]);
  });
});
