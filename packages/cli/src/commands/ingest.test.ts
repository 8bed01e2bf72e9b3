import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = new URL('../../../adapters/src/ingest/fixtures/', import.meta.url);
const fixture = (name: string): string => new URL(name, fixtures).pathname;
const enrol = (id: string, name: string): string =>
  JSON.stringify({
    streamId: `partner-${id}`,
    type: 'PartnerEnrolled',
    data: {
      partnerId: id,
      name,
      program: 'partner',
      tier: 'silver',
      contactEmail: `${id.toLowerCase()}@partners.example`,
      payoutCurrency: 'USD',
    },
    metadata: { occurredAt: '2026-01-01T00:00:00Z' },
  });

async function seededStore(name: string): Promise<string> {
  const seed = join(dir, `${name}.ndjson`);
  writeFileSync(seed, `${enrol('P-1', 'Partner One')}\n${enrol('P-2', 'Bozala')}\n`);
  const store = join(dir, `${name}.db`);
  expect((await runCli(['import', seed, '--store', store])).code).toBe(0);
  return store;
}

async function exported(store: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const r = await runCli(['export', '--store', store]);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('referral-ledger ingest', () => {
  it('creates the referral of a Tally submission, and re-ingesting appends nothing', async () => {
    const store = await seededStore('tally');
    const first = await runCli(['ingest', 'tally', fixture('tally/form-response.json'), '--store', store]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/1 command, \d+ events appended/);
    const after = await exported(store);
    expect(after.filter((e) => e.type === 'ReferralSubmitted').map((e) => e.data.referralId)).toEqual([
      'tally-2wgx4n',
    ]);
    const again = await runCli(['ingest', 'tally', fixture('tally/form-response.json'), '--store', store]);
    expect(again.stdout).toContain('0 events appended');
    expect(await exported(store)).toEqual(after);
  });

  it('runs the duplicate check on a form submission for a lead already registered', async () => {
    const store = await seededStore('dup');
    expect(
      (await runCli(['ingest', 'typeform', fixture('typeform/form-response.json'), '--store', store])).code,
    ).toBe(0);
    const second = JSON.parse(readFileSync(fixture('typeform/form-response.json'), 'utf8'));
    second.form_response.token = 'b0b0b0b0';
    second.form_response.submitted_at = '2026-01-07T09:00:00Z';
    second.form_response.hidden.partner_id = 'P-2';
    const file = join(dir, 'second.json');
    writeFileSync(file, JSON.stringify(second));
    expect((await runCli(['ingest', 'typeform', file, '--store', store])).code).toBe(0);
    const flagged = (await exported(store)).filter((e) => e.type === 'ReferralDuplicateFlagged');
    expect(flagged.map((e) => [e.data.referralId, (e.data.duplicateOf as { id: string }).id])).toEqual([
      ['typeform-b0b0b0b0', 'typeform-a3a12ec67a1365927098a606107fac15'],
    ]);
  });

  it('resolves overlap rows by partner name and is idempotent', async () => {
    const store = await seededStore('overlaps');
    const file = fixture('crossbeam/account-mapping-export.csv');
    expect((await runCli(['ingest', 'crossbeam', file, '--store', store])).stdout).toContain(
      '3 events appended',
    );
    expect((await runCli(['ingest', 'crossbeam', file, '--store', store])).stdout).toContain(
      '0 events appended',
    );
    const overlaps = (await exported(store)).filter((e) => e.type === 'AccountOverlapDetected');
    expect(overlaps.map((e) => e.data.partnerId)).toEqual(['P-2', 'P-2', 'P-2']);
  });

  it('dates a Reveal export by --exported-at and puts its rows on --partner', async () => {
    const store = await seededStore('reveal');
    const file = fixture('reveal/account-mapping-export.csv');
    const missing = await runCli(['ingest', 'reveal', file, '--store', store, '--partner', 'P-1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('row 2');
    const r = await runCli([
      'ingest',
      'reveal',
      file,
      '--store',
      store,
      '--partner',
      'P-1',
      '--exported-at',
      '2026-02-03',
    ]);
    expect(r.stdout).toContain('3 events appended');
    const overlaps = (await exported(store)).filter((e) => e.type === 'AccountOverlapDetected');
    expect(overlaps.map((e) => [e.data.partnerId, e.data.accountDomain, e.data.source])).toEqual([
      ['P-1', 'hooli.example', 'reveal'],
      ['P-1', 'piedpiper.example', 'reveal'],
      ['P-1', 'raviga.example', 'reveal'],
    ]);
  });

  it('appends nothing when one command of the payload is refused', async () => {
    const store = await seededStore('refused');
    const bundle = JSON.parse(readFileSync(fixture('hubspot/bundle-deal-created.json'), 'utf8'));
    // The deal opens, then a change for a deal the ledger never saw is refused by the decider.
    bundle.events.push({
      ...bundle.events[0],
      eventId: 7,
      subscriptionType: 'deal.propertyChange',
      objectId: 999,
      propertyName: 'amount',
      propertyValue: '10',
    });
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const before = await exported(store);
    const r = await runCli(['ingest', 'hubspot', file, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hubspot-999');
    expect(await exported(store)).toEqual(before);
  });

  it('refuses a malformed payload naming the field, and an unknown source', async () => {
    const store = await seededStore('malformed');
    const r = await runCli(['ingest', 'hubspot', fixture('hubspot/malformed-amount.json'), '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[0].propertyValue');
    const u = await runCli([
      'ingest',
      'pipedrive',
      fixture('hubspot/malformed-amount.json'),
      '--store',
      store,
    ]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('unknown source "pipedrive"');
  });

  it('prints the mapped commands with --dry-run and appends nothing', async () => {
    const store = await seededStore('dry');
    const before = await exported(store);
    const r = await runCli([
      'ingest',
      'tally',
      fixture('tally/form-response.json'),
      '--store',
      store,
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].type).toBe('SubmitReferral');
    expect(await exported(store)).toEqual(before);
  });
});
