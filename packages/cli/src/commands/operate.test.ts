import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scenariosDir } from '../reports/run-cli.fixture.ts';

async function ok(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('operating the programme: rules publish, approve, payouts schedule', () => {
  it('publishes rules, approves what is earned, and schedules what is payable once the hold is over', async () => {
    const dir = join(scenariosDir(), 'first-to-register');
    const db = join(mkdtempSync(join(tmpdir(), 'operate-')), 'ledger.db');
    const store = ['--store', db];
    await ok(['import', join(dir, 'events.ndjson'), ...store]);
    expect(await ok(['rules', 'publish', join(dir, 'rules.json'), ...store])).toContain(
      'published rule set public-1',
    );
    expect(await ok(['rules', 'publish', join(dir, 'rules.json'), ...store])).toContain('already published');

    // P-1 earned $18,000.00 on O-1 (won 1 Feb); approve it on 5 Feb, and approving again adds nothing.
    expect(await ok(['approve', '--as-of', '2026-02-05T00:00:00Z', '--by', 'fin', ...store])).toBe(
      'approved 18,000.00 USD for P-1 on O-1\n1 approval as of 2026-02-05T00:00:00.000Z\n',
    );
    expect(await ok(['approve', '--as-of', '2026-02-06T00:00:00Z', ...store])).toContain('0 approvals');

    // The 30-day hold from the 1 Feb close ends on 3 March.
    expect(
      await ok(['payouts', 'schedule', '--provider', 'wise', '--as-of', '2026-02-20T00:00:00Z', ...store]),
    ).toContain('0 payouts scheduled');
    expect(
      await ok(['payouts', 'schedule', '--provider', 'wise', '--as-of', '2026-03-04T00:00:00Z', ...store]),
    ).toContain('scheduled PO-P-1-20260304T000000: 18,000.00 USD to P-1 via wise');
    // Already scheduled: nothing more is payable.
    expect(
      await ok(['payouts', 'schedule', '--provider', 'wise', '--as-of', '2026-03-05T00:00:00Z', ...store]),
    ).toContain('0 payouts scheduled');

    const payouts = JSON.parse(
      await ok(['report', 'payouts', '--as-of', '2026-03-06T00:00:00Z', '--format', 'json', ...store]),
    ) as { payouts: unknown[] };
    expect(payouts.payouts).toEqual([
      expect.objectContaining({
        partnerId: 'P-1',
        amount: 1_800_000,
        currency: 'USD',
        provider: 'wise',
        status: 'scheduled',
      }),
    ]);
    const commission = JSON.parse(
      await ok(['report', 'commission', '--as-of', '2026-03-06T00:00:00Z', '--format', 'json', ...store]),
    ) as { partners: { partnerId: string; approved: number; payable: number }[] };
    expect(commission.partners[0]).toMatchObject({
      partnerId: 'P-1',
      approved: 1_800_000,
      payable: 1_800_000,
    });
  });

  it('refuses bad input with a one-line reason', async () => {
    const r = await runCli(['payouts', 'schedule', '--provider', 'cash']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider: one of stripe, paypal, wise, manual');
    const s = await runCli(['rules', 'publish']);
    expect(s.code).toBe(2);
  });
});
