import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-operate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// P-1 (silver, 15 %) sources a $120,000.00 deal won on 1 February 2026: $18,000.00 commission.
const log = [
  '{"streamId":"partner-P-1","type":"PartnerEnrolled","data":{"partnerId":"P-1","name":"Partner One","program":"partner","tier":"silver","contactEmail":"p1@partners.example","payoutCurrency":"USD"},"metadata":{"occurredAt":"2026-01-01T00:00:00Z"}}',
  '{"streamId":"partner-P-2","type":"PartnerEnrolled","data":{"partnerId":"P-2","name":"Partner Two","program":"partner","tier":"bronze","contactEmail":"p2@partners.example","payoutCurrency":"USD"},"metadata":{"occurredAt":"2026-01-01T00:00:00Z"}}',
  '{"streamId":"referral-R-1","type":"ReferralSubmitted","data":{"referralId":"R-1","partnerId":"P-1","channel":"portal","lead":{"firstName":"Jane","lastName":"Doe","email":"jane@acme.example","company":"Acme"}},"metadata":{"occurredAt":"2026-01-05T09:00:00Z"}}',
  '{"streamId":"opportunity-O-1","type":"OpportunityOpened","data":{"opportunityId":"O-1","accountDomain":"acme.example","accountName":"Acme","value":{"amount":10000000,"currency":"USD"},"ownerId":"rep-7"},"metadata":{"occurredAt":"2026-01-20T15:00:00Z"}}',
  '{"streamId":"opportunity-O-1","type":"OpportunityWon","data":{"opportunityId":"O-1","value":{"amount":12000000,"currency":"USD"}},"metadata":{"occurredAt":"2026-02-01T17:00:00Z"}}',
].join('\n');

async function freshStore(name: string): Promise<string> {
  const file = join(dir, `${name}.ndjson`);
  const store = join(dir, `${name}.db`);
  writeFileSync(file, `${log}\n`);
  expect((await runCli(['import', file, '--store', store])).code).toBe(0);
  return store;
}

describe('operating the programme from the CLI', () => {
  it('approve approves every eligible unapproved amount once', async () => {
    const store = await freshStore('approve');
    const first = await runCli(['approve', '--store', store, '--by', 'pm-1']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('approved 18,000.00 USD for P-1 on O-1');
    const again = await runCli(['approve', '--store', store]);
    expect(again.stdout).toContain('0 approvals');
    const report = JSON.parse(
      (await runCli(['report', 'commission', '--store', store, '--format', 'json'])).stdout,
    );
    const p1 = report.partners.find((p: { partnerId: string }) => p.partnerId === 'P-1');
    expect(p1.approved).toBe(1800000);
    expect(p1.payable).toBe(1800000);
  });

  it('payouts schedule schedules what is payable and nothing more', async () => {
    const store = await freshStore('payouts');
    await runCli(['approve', '--store', store]);
    const r = await runCli(['payouts', 'schedule', '--provider', 'wise', '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scheduled PO-[0-9a-f]+: 18,000\.00 USD to P-1 via wise/);
    const again = await runCli(['payouts', 'schedule', '--provider', 'wise', '--store', store]);
    expect(again.stdout).toContain('0 payouts scheduled');
    const payouts = JSON.parse(
      (await runCli(['report', 'payouts', '--store', store, '--format', 'json'])).stdout,
    );
    expect(payouts.payouts).toHaveLength(1);
    expect(payouts.payouts[0]).toMatchObject({
      partnerId: 'P-1',
      amount: 1800000,
      provider: 'wise',
      status: 'scheduled',
    });
  });

  it('rules publish validates and publishes; a bad rule set names the field and appends nothing', async () => {
    const store = await freshStore('rules');
    const good = join(dir, 'v2.json');
    writeFileSync(
      good,
      JSON.stringify({
        version: 'v2',
        effectiveFrom: '2026-01-01T00:00:00Z',
        attribution: { model: 'linear' },
      }),
    );
    const ok = await runCli(['rules', 'publish', good, '--store', store]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('published rule set v2');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ version: 'v3', effectiveFrom: '2026-01-01T00:00:00Z', commission: { holdDays: -1 } }),
    );
    const refused = await runCli(['rules', 'publish', bad, '--store', store]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('commission.holdDays');
    const exported = (await runCli(['export', '--store', store])).stdout.trim().split('\n');
    expect(exported.filter((l) => l.includes('RuleSetPublished'))).toHaveLength(1);
  });

  it('refuses unknown subcommands and providers with a usage error', async () => {
    expect((await runCli(['payouts', 'send', '--provider', 'wise'])).code).toBe(2);
    expect((await runCli(['payouts', 'schedule', '--provider', 'venmo'])).stderr).toContain('--provider');
    expect((await runCli(['rules', 'delete', 'x.json'])).code).toBe(2);
  });
});

describe('demo', () => {
  it('builds the sample programme through the deciders and prints its reports', async () => {
    const store = join(dir, 'demo', 'demo.db');
    const r = await runCli(['demo', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/commands → \d{4,} events/);
    expect(r.stdout).toContain('Refused by the deciders (2)');
    for (const title of [
      'Partner attribution report',
      'Statement for partner P-NW',
      'SLA summary',
      'Rule change',
      'Review queue',
      'Referral requests to customers',
      'Programme KPIs',
    ]) {
      expect(r.stdout).toContain(title);
    }
    const funnel = JSON.parse(
      (
        await runCli([
          'report',
          'funnel',
          '--store',
          store,
          '--as-of',
          '2026-11-20T18:00:00Z',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(funnel.stages.submitted).toBe(260);
    expect(funnel.stages.duplicated).toBeGreaterThan(0);
    expect(funnel.stages.rejected).toBeGreaterThan(0);
    expect(funnel.stages.won).toBeGreaterThan(0);
    const payouts = JSON.parse(
      (
        await runCli([
          'report',
          'payouts',
          '--store',
          store,
          '--as-of',
          '2026-11-20T18:00:00Z',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(payouts.payouts.some((p: { status: string }) => p.status === 'sent')).toBe(true);
    expect(payouts.payouts.some((p: { status: string }) => p.status === 'failed')).toBe(true);
  }, 120_000);
});
