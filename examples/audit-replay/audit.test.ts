import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from './audit.ts';

const out = mkdtempSync(join(tmpdir(), 'audit-replay-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('audit-replay walkthrough over the shipped sample log', () => {
  it('reproduces dispute D-001: Harbor (P-HA) held the credit when Cirrus (P-CR) claimed, Cirrus holds it after the upheld resolution', async () => {
    const r = await runAudit({ disputeId: 'D-001', outDir: out });
    expect(r.dispute).toMatchObject({ opportunityId: 'O-0016', claimantPartnerId: 'P-CR', status: 'upheld' });
    // The deal was won at 28,000.00 USD under the 2026-01 rules (first to register).
    expect(r.now.value).toEqual({ amount: 2_800_000, currency: 'USD' });
    expect(r.atDispute.disputed).toBe(true);
    expect(r.atDispute.credits).toEqual([{ partyId: 'P-HA', kind: 'sourced', share: 1, amount: 2_800_000 }]);
    expect(r.now.disputed).toBe(false);
    expect(r.now.credits).toEqual([{ partyId: 'P-CR', kind: 'sourced', share: 1, amount: 2_800_000 }]);
    // The explanation names the resolution and the arithmetic: 2,800,000 × 1,500 bps = 420,000.
    expect(r.explanation).toContain('dispute D-001 by P-CR, upheld');
    expect(r.explanation).toContain('2800000 × 1500 / 10000 = 420000 USD');
    expect(r.explanation).toMatch(/\[event [0-9a-f-]{36} @\d+\]/);
    // The shipped log carries its chain hashes: verify recomputes them and finds it intact.
    expect(r.verify.status).toBe('intact');
    expect(r.verify.output).toContain('intact: 2838 events');
    for (const f of r.files) expect(existsSync(f)).toBe(true);
    const md = readFileSync(join(out, 'audit-D-001.md'), 'utf8');
    expect(md).toContain('| Claimant | P-CR |');
    expect(md).toContain('P-HA sourced 1 = 2800000 USD minor units (disputed)');
  });

  it('refuses a dispute id the log does not have', async () => {
    await expect(runAudit({ disputeId: 'D-999', outDir: out })).rejects.toThrow('no dispute D-999');
  });
});
