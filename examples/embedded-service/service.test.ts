import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@referral-ledger/adapters';
import type { EventStore } from '@referral-ledger/core';
import pg from 'pg';
import { Writable } from 'node:stream';
import { main } from '@referral-ledger/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from './service.ts';

// CI (.ci/run) starts PostgreSQL and sets REFERRAL_LEDGER_PG_URL; locally the default URL must answer.
const url = process.env.REFERRAL_LEDGER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `rl_embedded_${randomBytes(5).toString('hex')}`;
const fixtures = join(import.meta.dirname, '..', '..', 'packages', 'adapters', 'src', 'ingest', 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const TALLY_SECRET = 'tally-signing-secret';
const ADMIN = 'admin-token-for-the-test';

let store: EventStore;
let storeUrl: string;
let svc: Awaited<ReturnType<typeof startService>>;

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${svc.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
const tallySignature = (body: string) => createHmac('sha256', TALLY_SECRET).update(body).digest('base64');
const report = async (name: string, query = '') => {
  const res = await fetch(`${svc.url}/reports/${name}?as-of=2026-02-01T00:00:00Z${query}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};

beforeAll(async () => {
  const target = new URL(url);
  target.searchParams.set('schema', schema);
  storeUrl = target.toString();
  const opened = await openStore(storeUrl);
  store = opened;
  svc = await startService({
    store,
    secret: opened.privacy?.secret,
    adminToken: ADMIN,
    webhookSecrets: { tally: TALLY_SECRET },
  });
  for (const [partnerId, name] of [
    ['P-1', 'Partner One'],
    ['P-2', 'Bozala'],
  ]) {
    const res = await post(
      '/commands',
      JSON.stringify({
        type: 'EnrollPartner',
        data: {
          partnerId,
          name,
          program: 'partner',
          tier: 'silver',
          contactEmail: `${partnerId}@partners.example`,
          payoutCurrency: 'USD',
        },
        metadata: { occurredAt: '2026-01-01T00:00:00Z' },
      }),
      { authorization: `Bearer ${ADMIN}` },
    );
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await svc?.close();
  await store?.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe('embedded service on PostgreSQL', () => {
  it('takes a signed Tally referral form once; a replayed delivery appends nothing', async () => {
    const body = fixture('tally/form-response.json');
    const first = await post('/webhooks/tally', body, { 'tally-signature': tallySignature(body) });
    expect(first.status).toBe(200);
    const r = (await first.json()) as { commands: string[]; appended: number };
    expect(r.commands).toEqual(['SubmitReferral']);
    expect(r.appended).toBeGreaterThan(0);
    const again = await post('/webhooks/tally', body, { 'tally-signature': tallySignature(body) });
    expect(((await again.json()) as { appended: number }).appended).toBe(0);
  });

  it('refuses an unsigned form and a malformed HubSpot payload, appending nothing', async () => {
    const head = await store.headPosition();
    const unsigned = await post('/webhooks/tally', fixture('tally/form-response.json'));
    expect(unsigned.status).toBe(401);
    const bad = await post('/webhooks/hubspot', fixture('hubspot/malformed-amount.json'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/amount/);
    expect(await store.headPosition()).toBe(head);
  });

  it('takes the HubSpot deal webhooks and serves the reports as JSON', async () => {
    expect((await post('/webhooks/hubspot', fixture('hubspot/bundle-deal-created.json'))).status).toBe(200);
    const won = await post('/webhooks/hubspot', fixture('hubspot/webhook-deal-won.json'));
    expect(((await won.json()) as { commands: string[] }).commands).toEqual([
      'ChangeOpportunityValue',
      'WinOpportunity',
    ]);
    const funnel = (await report('funnel')) as { asOf: string; stages: { submitted: number } };
    expect(funnel.asOf).toBe('2026-02-01T00:00:00.000Z');
    expect(funnel.stages.submitted).toBe(1);
    const attribution = (await report('attribution')) as {
      opportunities: { opportunityId: string; status: string; value: unknown }[];
    };
    expect(attribution.opportunities.find((o) => o.opportunityId === 'hubspot-1246965')).toMatchObject({
      status: 'won',
      value: { amount: 4_800_050, currency: 'USD' },
    });
    const referrals = (await report('referrals', '&partner=P-2')) as { referrals: { referralId: string }[] };
    expect(referrals.referrals.map((r) => r.referralId)).toEqual(['tally-2wgx4n']);
  });

  it('keeps the reports behind the admin token and names an unknown report', async () => {
    expect((await fetch(`${svc.url}/reports/funnel`)).status).toBe(401);
    const res = await fetch(`${svc.url}/reports/nope`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(404);
  });
  it('leaves a log that pnpm ledger verify finds intact', async () => {
    let out = '';
    const sink = new Writable({
      write: (c, _e, done) => {
        out += String(c);
        done();
      },
    });
    const code = await main(['verify', '--store', storeUrl], {
      stdout: sink,
      stderr: sink,
      env: process.env,
      cwd: process.cwd(),
    });
    expect(code, out).toBe(0);
  });
});
