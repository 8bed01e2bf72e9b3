import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ev, type LogLine, modelOf } from '../testing/ops-log.ts';
import { partnerExchange } from './partner.ts';

const sharing = (partnerId: string, overlapRelationships: string[], at = '2026-01-02T00:00:00Z') =>
  ev.on('PartnerSharingSet', at, {
    partnerId,
    leadFields: ['company', 'website'],
    overlapRelationships,
    setBy: 'pm',
  });
const overlap = (partnerId: string, domain: string, ours: string, at: string) =>
  ev.on('AccountOverlapDetected', at, {
    partnerId,
    accountDomain: domain,
    ourRelationship: ours,
    partnerRelationship: 'customer',
    source: 'crossbeam',
  });
const share = (id: string, partnerId: string, at: string) =>
  ev.on('LeadShared', at, {
    shareId: id,
    partnerId,
    accountDomain: `${id.toLowerCase()}.example`,
    lead: { company: id },
    reason: 'fit',
    sharedBy: 'pm',
  });

describe('partner-scoped exchange (SPEC §7)', () => {
  const lines = [
    ev.enrol('P-1', '2026-01-01T00:00:00Z'),
    ev.enrol('P-2', '2026-01-01T00:00:00Z'),
    sharing('P-1', ['prospect', 'opportunity']),
    share('S-1', 'P-1', '2026-02-01T00:00:00Z'),
    ev.on('SharedLeadResponded', '2026-02-01T06:00:00Z', { shareId: 'S-1', response: 'accepted' }),
    ev.on('SharedLeadOutcome', '2026-03-01T00:00:00Z', {
      shareId: 'S-1',
      outcome: 'won',
      value: { amount: 500000, currency: 'USD' },
    }),
    share('S-2', 'P-2', '2026-02-02T00:00:00Z'),
    overlap('P-1', 'acme.example', 'prospect', '2026-02-10T00:00:00Z'),
    overlap('P-1', 'bolt.example', 'customer', '2026-02-10T00:00:00Z'), // not disclosed to P-1
    overlap('P-1', 'core.example', 'none', '2026-02-10T00:00:00Z'),
    overlap('P-1', 'dyn.example', 'prospect', '2026-02-10T00:00:00Z'),
    overlap('P-1', 'dyn.example', 'customer', '2026-02-20T00:00:00Z'), // became a customer: hidden now
    overlap('P-2', 'acme.example', 'prospect', '2026-02-10T00:00:00Z'),
  ];

  it('shows the leads shared with the partner and only the overlaps its settings disclose', () => {
    const view = partnerExchange(modelOf(lines, { asOf: '2026-06-01T00:00:00Z' }), 'P-1');
    expect(view.leads).toEqual([
      {
        shareId: 'S-1',
        accountDomain: 's-1.example',
        lead: { company: 'S-1' },
        reason: 'fit',
        sharedAt: '2026-02-01T00:00:00.000Z',
        response: 'accepted',
        respondedAt: '2026-02-01T06:00:00.000Z',
        outcome: 'won',
        outcomeValue: { amount: 500000, currency: 'USD' },
      },
    ]);
    expect(view.overlaps.map((o) => [o.accountDomain, o.ourRelationship])).toEqual([
      ['acme.example', 'prospect'],
    ]);
  });

  it('shows no overlap to a partner without sharing settings', () => {
    const view = partnerExchange(modelOf(lines, { asOf: '2026-06-01T00:00:00Z' }), 'P-2');
    expect(view.leads.map((l) => l.shareId)).toEqual(['S-2']);
    expect(view.overlaps).toEqual([]);
  });

  it('holds no other partner’s shares or overlaps for any generated programme (property)', () => {
    const partners = ['P-1', 'P-2', 'P-3'];
    const rel = fc.constantFrom('customer', 'prospect', 'opportunity', 'none');
    const item = fc.oneof(
      fc.record({
        kind: fc.constant('share' as const),
        partner: fc.constantFrom(...partners),
        day: fc.integer({ min: 1, max: 28 }),
      }),
      fc.record({
        kind: fc.constant('overlap' as const),
        partner: fc.constantFrom(...partners),
        day: fc.integer({ min: 1, max: 28 }),
        domain: fc.constantFrom('a.example', 'b.example', 'c.example'),
        ours: rel,
      }),
      fc.record({
        kind: fc.constant('sharing' as const),
        partner: fc.constantFrom(...partners),
        day: fc.integer({ min: 1, max: 28 }),
        allowed: fc.subarray(['customer', 'prospect', 'opportunity']),
      }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), fc.constantFrom(...partners), (items, me) => {
        const log: LogLine[] = partners.map((p) => ev.enrol(p, '2026-01-01T00:00:00Z'));
        const sharedWith = new Map<string, string>();
        items.forEach((x, i) => {
          const at = `2026-02-${String(x.day).padStart(2, '0')}T00:00:00Z`;
          if (x.kind === 'share') {
            log.push(share(`S-${i}`, x.partner, at));
            sharedWith.set(`S-${i}`, x.partner);
          }
          if (x.kind === 'overlap') log.push(overlap(x.partner, x.domain, x.ours, at));
          if (x.kind === 'sharing') log.push(sharing(x.partner, x.allowed, at));
        });
        const model = modelOf(log, { asOf: '2026-06-01T00:00:00Z' });
        const view = partnerExchange(model, me);
        for (const l of view.leads) expect(sharedWith.get(l.shareId)).toBe(me);
        const mine = new Set(
          (model.overlaps.get(me) ?? []).map(
            (f) => `${f.event.data.accountDomain}|${f.event.data.ourRelationship}`,
          ),
        );
        for (const o of view.overlaps) expect(mine.has(`${o.accountDomain}|${o.ourRelationship}`)).toBe(true);
        expect(JSON.stringify(view)).not.toMatch(new RegExp(partners.filter((p) => p !== me).join('|')));
      }),
      { numRuns: 150 },
    );
  });
});
