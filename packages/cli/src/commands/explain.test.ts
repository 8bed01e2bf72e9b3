import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scenariosDir } from '../reports/run-cli.fixture.ts';

const dir = (name: string) => join(scenariosDir(), name);

describe('explain command', () => {
  it('explains the first-to-register example as JSON, citing the winning registration', async () => {
    const s = dir('first-to-register');
    const r = await runCli([
      'explain',
      'O-1',
      '--events',
      join(s, 'events.ndjson'),
      '--rules',
      join(s, 'rules.json'),
      '--as-of',
      '2026-12-31T00:00:00Z',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.rules.version).toBe('public-1');
    expect(
      e.registrations.map((g: { referralId: string; outcome: string; position: number }) => [
        g.referralId,
        g.outcome,
        g.position,
      ]),
    ).toEqual([
      ['R-1', 'sourced', 3],
      ['R-2', 'later', 4],
    ]);
    expect(e.registrations[0].eventId).toBe('96bd385a-6d76-53af-9893-c92f63863472');
    expect(
      e.commission.map((l: { partnerId: string; rateBps: number; commission: number }) => [
        l.partnerId,
        l.rateBps,
        l.commission,
      ]),
    ).toEqual([['P-1', 1500, 1800000]]);
    expect(e.allocation.lines).toEqual([
      {
        partyId: 'P-1',
        kind: 'sourced',
        share: 1,
        exact: 12000000,
        floor: 12000000,
        remainder: 0,
        extra: 0,
        amount: 12000000,
      },
    ]);
  });

  it('prints text by default and fails with a one-line reason for an unknown opportunity', async () => {
    const s = dir('first-to-register');
    const ok = await runCli([
      'explain',
      'O-1',
      '--events',
      join(s, 'events.ndjson'),
      '--as-of',
      '2026-12-31',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('→ sourced');
    const bad = await runCli([
      'explain',
      'O-9',
      '--events',
      join(s, 'events.ndjson'),
      '--as-of',
      '2026-12-31',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no opportunity "O-9"');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('diff command', () => {
  it('diffs time-decay against first-to-register on the published example', async () => {
    const s = dir('time-decay-published');
    const r = await runCli([
      'diff',
      '--events',
      join(s, 'events.ndjson'),
      '--rules',
      join(s, 'rules.json'),
      '--against',
      join(dir('first-to-register'), 'rules.json'),
      '--as-of',
      '2026-12-31T00:00:00Z',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    // Before: no registration, so the house has both deals; after: the published totals.
    expect(
      d.partners.map((p: { partnerId: string; creditedDelta: number }) => [p.partnerId, p.creditedDelta]),
    ).toEqual([
      ['P-AW', 363],
      ['P-FB', 491],
    ]);
    expect(d.opportunities[0].before).toEqual([{ partyId: 'house', kind: 'house', share: 1, amount: 1000 }]);
    // Both are bronze partners, influenced at 500 bps: P-AW 171 → 9 and 192 → 10; P-FB 358 → 18 and 133 → 7.
    expect(
      d.partners.map((p: { partnerId: string; commissionDelta: number }) => [p.partnerId, p.commissionDelta]),
    ).toEqual([
      ['P-AW', 19],
      ['P-FB', 25],
    ]);
  });

  it('needs both rule sets', async () => {
    const r = await runCli(['diff', '--rules', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--against');
  });
});
