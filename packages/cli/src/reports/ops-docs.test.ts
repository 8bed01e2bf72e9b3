import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

// The worked examples of docs/sla.md, docs/exchange.md and docs/kpis.md: the figures the docs print.
const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/examples');

// biome-ignore lint/suspicious/noExplicitAny: report JSON read by tests
type Json = Record<string, any>;

async function report(name: string, file: string, asOf: string, extra: string[] = []): Promise<Json> {
  const r = await runCli([
    'report',
    name,
    '--events',
    join(docs, file),
    '--as-of',
    asOf,
    '--format',
    'json',
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

const byId = (rows: Json[], key: string) => Object.fromEntries(rows.map((r) => [r[key], r]));

describe('docs/sla.md worked example', () => {
  it('business hours across a weekend and the DST change', async () => {
    const out = await report('sla', 'sla.ndjson', '2026-03-30T10:30:00Z', [
      '--rules',
      join(docs, 'sla-rules.json'),
    ]);
    const rows = byId(out.referrals, 'referralId');
    expect(rows['R-1']).toMatchObject({ firstContactMinutes: 120, firstContactBreached: false });
    expect(rows['R-2']).toMatchObject({
      firstContactMinutes: null,
      firstContactBreached: true,
      firstContactDeadline: '2026-03-30T09:00:00.000Z',
    });
    expect(rows['R-3']).toMatchObject({ status: 'withdrawn', firstContactBreached: null });
    expect(rows['R-4']).toMatchObject({
      firstContactMinutes: 30,
      feedbackBreached: true,
      feedbackDeadline: '2026-03-24T09:00:00.000Z',
      stale: true,
    });
    expect(out.summary).toMatchObject({
      total: 4,
      firstContactMet: 2,
      firstContactBreached: 1,
      feedbackMet: 0,
      feedbackBreached: 1,
      feedbackRate: 0,
      stale: 1,
    });
    expect(out.summary.firstContactRate).toBeCloseTo(2 / 3, 12);
  });
});

describe('docs/exchange.md worked examples', () => {
  it('inbound: briefs and the review queue on 4 May 12:00', async () => {
    const briefs = byId(
      (await report('referrals', 'exchange.ndjson', '2026-05-04T12:00:00Z')).referrals,
      'referralId',
    );
    expect(briefs['R-1']).toMatchObject({
      status: 'contacted',
      fit: 'good',
      feedbackStatus: 'none',
      nextAction: 'send-feedback',
    });
    expect(briefs['R-2']).toMatchObject({
      status: 'submitted',
      fit: 'review',
      fitReasons: ['self-referral'],
      flags: ['self-referral'],
      nextAction: 'review-flags',
    });
    const reviews = await report('reviews', 'exchange.ndjson', '2026-05-04T12:00:00Z');
    expect(reviews.items.map((i: Json) => [i.kind, i.id, i.since, i.ageHours])).toEqual([
      ['flagged-referral', 'R-2', '2026-05-04T09:00:00.000Z', 3],
    ]);
    const sla = byId(
      (await report('sla', 'exchange.ndjson', '2026-05-06T00:00:00Z')).referrals,
      'referralId',
    );
    expect(sla['R-1']).toMatchObject({ firstContactMinutes: 180, feedbackMinutes: 420 });
  });

  it('inbound: after feedback on 6 May everything is done', async () => {
    const briefs = (await report('referrals', 'exchange.ndjson', '2026-05-06T00:00:00Z')).referrals as Json[];
    expect(briefs.map((b) => [b.referralId, b.status, b.feedbackStatus, b.nextAction])).toEqual([
      ['R-1', 'contacted', 'sent', 'none'],
      ['R-2', 'rejected', 'sent', 'none'],
    ]);
    expect((await report('reviews', 'exchange.ndjson', '2026-05-06T00:00:00Z')).items).toEqual([]);
  });

  it('outbound: shares, responses and outcomes', async () => {
    const out = await report('shares', 'exchange.ndjson', '2026-06-30T00:00:00Z');
    expect(out.partners).toEqual([
      {
        partnerId: 'P-1',
        shared: 3,
        accepted: 2,
        declined: 1,
        won: 1,
        lost: 1,
        conversionRate: 1 / 3,
        medianResponseHours: 10,
      },
    ]);
  });

  it('outbound: the partner’s own view lists its leads and the overlaps it may see', async () => {
    const out = await report('shares', 'exchange.ndjson', '2026-06-30T00:00:00Z', ['--partner', 'P-1']);
    expect(out.leads.map((l: Json) => [l.shareId, l.response, l.outcome])).toEqual([
      ['S-1', 'accepted', 'won'],
      ['S-2', 'declined', null],
      ['S-3', 'accepted', 'lost'],
    ]);
    expect(out.overlaps.map((o: Json) => [o.accountDomain, o.ourRelationship])).toEqual([
      ['acme.example', 'prospect'],
    ]);
  });

  it('the customer request cadence and its fatigue limit', async () => {
    const at = async (asOf: string) => {
      const c = (await report('requests', 'exchange.ndjson', asOf)).customers[0] as Json;
      return [c.blocked, c.due && [c.due.step, c.due.since, c.due.overdue], c.requestsLast90Days];
    };
    expect(await at('2026-05-04T12:00:00Z')).toEqual([null, ['ask', '2026-05-04T09:00:00.000Z', false], 0]);
    expect(await at('2026-05-05T11:00:00Z')).toEqual([null, ['ask', '2026-05-04T09:00:00.000Z', true], 0]);
    expect(await at('2026-05-06T00:00:00Z')).toEqual([null, null, 1]);
    expect(await at('2026-05-12T12:00:00Z')).toEqual([
      null,
      ['follow-up', '2026-05-12T12:00:00.000Z', false],
      1,
    ]);
    expect(await at('2026-05-19T12:00:00Z')).toEqual([
      null,
      ['alternative-ask', '2026-05-19T12:00:00.000Z', false],
      2,
    ]);
    expect(await at('2026-05-20T00:00:00Z')).toEqual(['quota', null, 3]);
    expect(await at('2026-08-03T12:00:00Z')).toEqual([null, null, 2]);
  });
});

describe('docs/kpis.md worked example', () => {
  const asOf = '2026-05-15T00:00:00Z';
  const period = ['--from', '2026-04-01T00:00:00Z', '--to', '2026-05-01T00:00:00Z'];

  it('the referral KPIs through the CLI', async () => {
    const out = await report('kpis', 'kpis.ndjson', asOf, period);
    expect(out).toMatchObject({
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-05-01T00:00:00.000Z',
      currency: 'USD',
    });
    const k = byId(out.kpis, 'name');
    expect(k.medianFirstContactMinutes).toEqual({
      name: 'medianFirstContactMinutes',
      value: 180,
      target: 240,
      met: true,
    });
    expect(k.activeReferrerShare).toMatchObject({ value: 0.75, met: true });
    expect(k.registrationQuality).toMatchObject({ value: 0.5, target: 0.9, met: false });
    expect(k.referralAcceptanceRate).toMatchObject({ value: 0.75, met: true });
  });

  it('the revenue KPIs, with each deal’s sourced party from attribution', async () => {
    const k = byId((await report('kpis', 'kpis.ndjson', asOf, period)).kpis, 'name');
    expect(k.partnerSourcedRevenueShare).toMatchObject({ value: 0.25, target: 0.2, met: true });
    expect(k.referralWinRate.value).toBeCloseTo(2 / 3, 12);
    expect(k.referralWinRate.met).toBe(true);
    expect(k.customerSourcedRevenueShare).toMatchObject({ value: 0.125, target: null, met: null });
    expect(k.employeeSourcedRevenueShare).toMatchObject({ value: 0 });
  });
});
