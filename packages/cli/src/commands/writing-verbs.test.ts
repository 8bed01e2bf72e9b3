import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// P-1 (silver) sources O-1, won on 1 Feb 2026 at 120 000.00 USD: 15 % = 18 000.00 USD.
const log = [
  '{"streamId":"partner-P-1","type":"PartnerEnrolled","data":{"partnerId":"P-1","name":"Partner P-1","program":"partner","tier":"silver","contactEmail":"p-1@partners.example","payoutCurrency":"USD"},"metadata":{"occurredAt":"2026-01-01T00:00:00Z"}}',
  '{"streamId":"partner-P-2","type":"PartnerEnrolled","data":{"partnerId":"P-2","name":"Partner P-2","program":"partner","tier":"bronze","contactEmail":"p-2@partners.example","payoutCurrency":"USD"},"metadata":{"occurredAt":"2026-01-01T00:00:00Z"}}',
  '{"streamId":"referral-R-1","type":"ReferralSubmitted","data":{"referralId":"R-1","partnerId":"P-1","channel":"portal","lead":{"firstName":"Jane","lastName":"Doe","email":"jane@acme.example","company":"Acme","website":"https://www.acme.example"}},"metadata":{"occurredAt":"2026-01-05T09:00:00Z"}}',
  '{"streamId":"opportunity-O-1","type":"OpportunityOpened","data":{"opportunityId":"O-1","accountDomain":"acme.example","accountName":"Acme","value":{"amount":10000000,"currency":"USD"},"ownerId":"rep-7"},"metadata":{"occurredAt":"2026-01-20T15:00:00Z"}}',
  '{"streamId":"opportunity-O-1","type":"OpportunityWon","data":{"opportunityId":"O-1","value":{"amount":12000000,"currency":"USD"}},"metadata":{"occurredAt":"2026-02-01T17:00:00Z"}}',
];

describe('writing verbs: rules publish, approve, payouts schedule', () => {
  it('publish rules once, approve what is eligible once, schedule what is payable once', async () => {
    const store = join(dir, 'w.db');
    const events = join(dir, 'log.ndjson');
    writeFileSync(events, `${log.join('\n')}\n`);
    expect((await runCli(['import', events, '--store', store])).code).toBe(0);

    const rules = join(dir, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({ version: 'r1', effectiveFrom: '2025-01-01T00:00:00Z', currency: 'USD' }),
    );
    const pub = await runCli(['rules', 'publish', rules, '--store', store]);
    expect(pub.code).toBe(0);
    expect(pub.stdout).toContain('published rule set r1');
    expect((await runCli(['rules', 'publish', rules, '--store', store])).stdout).toContain(
      'nothing appended',
    );
    writeFileSync(
      rules,
      JSON.stringify({
        version: 'r1',
        effectiveFrom: '2025-01-01T00:00:00Z',
        currency: 'USD',
        tiers: { mode: 'auto' },
      }),
    );
    const changed = await runCli(['rules', 'publish', rules, '--store', store]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('rules.version-exists');

    expect((await runCli(['approve', '--partner', 'P-2', '--store', store])).stdout).toContain('0 approvals');
    const approve = await runCli(['approve', '--store', store, '--by', 'PM-1']);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('approved 1800000 USD (minor units) for P-1 on O-1');
    expect((await runCli(['approve', '--store', store])).stdout).toContain('0 approvals');

    const schedule = await runCli(['payouts', 'schedule', '--provider', 'wise', '--store', store]);
    expect(schedule.code).toBe(0);
    expect(schedule.stdout).toMatch(/scheduled PO-P-1-\d{8}T\d{6}: 1800000 USD/);
    expect((await runCli(['payouts', 'schedule', '--provider', 'wise', '--store', store])).stdout).toContain(
      '0 payouts scheduled',
    );

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

  it('refuses bad flags with exit 2', async () => {
    expect((await runCli(['payouts', 'schedule', '--store', join(dir, 'x.db')])).code).toBe(2);
    expect((await runCli(['rules', 'publish'])).code).toBe(2);
    expect((await runCli(['rules', 'withdraw', 'x.json'])).code).toBe(2);
  });
});
