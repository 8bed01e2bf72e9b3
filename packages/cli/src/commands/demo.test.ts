import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
