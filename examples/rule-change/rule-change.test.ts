import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRuleChange } from './rule-change.ts';

const out = mkdtempSync(join(tmpdir(), 'rule-change-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('rule-change walkthrough over the shipped sample log', () => {
  it('rebuilds under the proposal and exports the diff as Markdown and CSV, deltas after − before', async () => {
    const { diff, files } = await runRuleChange({ outDir: out });
    // O-0001 (won, 115,000.00 USD): first to register gave P-HA everything; multi-touch with a
    // 0.6 sourced share gives it 0.6 × 11,500,000 = 6,900,000 minor units.
    const o1 = diff.opportunities.find((o) => o.opportunityId === 'O-0001')!;
    expect(o1.before).toEqual([{ partyId: 'P-HA', kind: 'sourced', share: 1, amount: 11_500_000 }]);
    expect(o1.after.find((c) => c.partyId === 'P-HA')).toEqual({
      partyId: 'P-HA',
      kind: 'sourced',
      share: 0.6,
      amount: 6_900_000,
    });
    expect(o1.after.reduce((s, c) => s + c.amount, 0)).toBe(11_500_000);

    const oppCsv = readFileSync(files[2]!, 'utf8').trim().split('\r\n');
    expect(oppCsv[0]).toBe(
      'opportunityId,status,partyId,kind,shareBefore,amountBefore,shareAfter,amountAfter',
    );
    expect(oppCsv).toContain('O-0001,won,P-HA,sourced,1,11500000,0.6,6900000');
    // Employee E-JO's only credited deal, O-0023 (117,000.00 USD), keeps 0.6 of it: Δ = −0.4 × 11,700,000.
    const ejo = oppCsv
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[2] === 'E-JO');
    const delta = ejo.reduce((s, c) => s + Number(c[7]) - Number(c[5]), 0);
    expect(delta).toBe(-4_680_000);
    const partnersCsv = readFileSync(files[1]!, 'utf8');
    expect(partnersCsv).toContain('\r\nE-JO,-4680000,USD,0,USD\r\n');
    expect(diff.partners.find((p) => p.partnerId === 'E-JO')?.creditedDelta).toBe(-4_680_000);

    const md = readFileSync(files[0]!, 'utf8');
    expect(md).toMatch(/^# /);
    expect(md).toContain('| O-0001 |');
  });
});
