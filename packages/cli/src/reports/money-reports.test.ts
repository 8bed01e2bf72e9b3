import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scenariosDir } from './run-cli.fixture.ts';

interface LineJson {
  partnerId: string;
  opportunityId: string;
  kind: string;
  tier: string;
  schedule: string;
  period?: number;
  accruesAt: string;
  currency: string;
  credited: number;
  rateBps: number;
  commission: number;
  payoutAmount: number;
  fxRate?: string;
  eligible: boolean;
}
interface PartnerJson {
  partnerId: string;
  currency: string;
  earned: number;
  approved: number;
  paid: number;
  payable: number;
  outstanding: number;
  lines: LineJson[];
}

async function report(name: string, scenario: string, asOf: string, extra: string[] = []) {
  const dir = join(scenariosDir(), scenario);
  const r = await runCli([
    'report',
    name,
    '--events',
    join(dir, 'events.ndjson'),
    '--rules',
    join(dir, 'rules.json'),
    '--as-of',
    asOf,
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('report commission through the CLI (worked examples)', () => {
  it('recurring-in-euros: 15 % once and 7.5 % a year for two years, paid in EUR at 0.9', async () => {
    const json = JSON.parse(
      await report('commission', 'recurring-in-euros', '2027-03-01T00:00:00Z', ['--format', 'json']),
    ) as { asOf: string; partners: PartnerJson[] };
    expect(json.asOf).toBe('2027-03-01T00:00:00.000Z');
    const [p] = json.partners;
    expect(p).toMatchObject({
      partnerId: 'P-DE',
      currency: 'EUR',
      earned: 648_000,
      paid: 0,
      outstanding: 648_000,
    });
    // $24,000.00 × 15 % = $3,600.00 → €3,240.00; × 7.5 % = $1,800.00 → €1,620.00 a year
    expect(
      p!.lines.map((l) => [
        l.schedule,
        l.period ?? null,
        l.accruesAt,
        l.rateBps,
        l.commission,
        l.payoutAmount,
        l.fxRate,
      ]),
    ).toEqual([
      ['one-time', null, '2026-02-01T00:00:00.000Z', 1500, 360_000, 324_000, '0.9'],
      ['recurring', 1, '2026-02-01T00:00:00.000Z', 750, 180_000, 162_000, '0.9'],
      ['recurring', 2, '2027-02-01T00:00:00.000Z', 750, 180_000, 162_000, '0.9'],
    ]);
  });

  it('recurring-in-euros as of 2026-06-01 lists only the years accrued by then', async () => {
    const json = JSON.parse(
      await report('commission', 'recurring-in-euros', '2026-06-01T00:00:00Z', ['--format', 'json']),
    ) as { partners: PartnerJson[] };
    expect(json.partners[0]!.lines.map((l) => l.period ?? 0)).toEqual([0, 1]);
    expect(json.partners[0]!.earned).toBe(486_000);
  });

  it('first-to-register: the silver sourced partner earns 15 % of $120,000.00; the duplicate earns nothing', async () => {
    const json = JSON.parse(
      await report('commission', 'first-to-register', '2026-12-31T00:00:00Z', ['--format', 'json']),
    ) as { partners: PartnerJson[] };
    expect(json.partners.map((p) => [p.partnerId, p.earned, p.lines.length])).toEqual([
      ['P-1', 1_800_000, 1],
      ['P-2', 0, 0],
    ]);
    expect(json.partners[0]!.lines[0]).toMatchObject({
      opportunityId: 'O-1',
      kind: 'sourced',
      tier: 'silver',
      credited: 12_000_000,
      rateBps: 1500,
      commission: 1_800_000,
      eligible: true,
    });
  });
});

describe('money reports in every format, partner-scoped', () => {
  const names = ['commission', 'payouts', 'statements', 'partners', 'leaderboard'];
  for (const name of names)
    it(`report ${name} renders table, json, csv, md and html`, async () => {
      for (const format of ['table', 'json', 'csv', 'md', 'html']) {
        const out = await report(name, 'first-to-register', '2026-12-31T00:00:00Z', ['--format', format]);
        expect(out.length).toBeGreaterThan(0);
        if (format === 'json') expect(() => JSON.parse(out)).not.toThrow();
        if (format === 'html') expect(out).not.toMatch(/<script[^>]+src=/);
      }
    });

  it('formats money for people in the terminal table', async () => {
    const out = await report('commission', 'first-to-register', '2026-12-31T00:00:00Z');
    expect(out).toContain('18,000.00 USD');
    expect(out).toContain('120,000.00 USD');
  });

  it('--partner shows only that partner (commission, partners, leaderboard rank)', async () => {
    const c = JSON.parse(
      await report('commission', 'first-to-register', '2026-12-31T00:00:00Z', [
        '--format',
        'json',
        '--partner',
        'P-2',
      ]),
    ) as { partners: PartnerJson[] };
    expect(c.partners.map((p) => p.partnerId)).toEqual(['P-2']);
    const p = JSON.parse(
      await report('partners', 'first-to-register', '2026-12-31T00:00:00Z', [
        '--format',
        'json',
        '--partner',
        'P-1',
      ]),
    ) as {
      partners: {
        partnerId: string;
        referrals: number;
        wonRevenue: number;
        wonDeals: number;
        commission: number;
        winRate: number;
      }[];
    };
    expect(p.partners).toEqual([
      expect.objectContaining({
        partnerId: 'P-1',
        referrals: 1,
        pipeline: 0,
        wonRevenue: 12_000_000,
        wonDeals: 1,
        commission: 1_800_000,
        winRate: 1,
      }),
    ]);
    const l = JSON.parse(
      await report('leaderboard', 'first-to-register', '2026-12-31T00:00:00Z', [
        '--format',
        'json',
        '--partner',
        'P-2',
      ]),
    ) as { partners: unknown[] };
    expect(l.partners).toEqual([{ rank: 2, partnerId: 'P-2', wonRevenue: 0, wonDeals: 0, referrals: 1 }]);
  });

  it('statements: months in the given time zone', async () => {
    const s = JSON.parse(
      await report('statements', 'first-to-register', '2026-03-31T00:00:00Z', [
        '--format',
        'json',
        '--partner',
        'P-1',
        '--time-zone',
        'America/New_York',
      ]),
    ) as { partners: { partnerId: string; months: { month: string; earned: number; closing: number }[] }[] };
    // won 2026-02-01T17:00Z = 12:00 in New York, still February
    expect(s.partners[0]!.months.map((m) => [m.month, m.earned, m.closing])).toEqual([
      ['2026-02', 1_800_000, 1_800_000],
      ['2026-03', 0, 1_800_000],
    ]);
  });
});
