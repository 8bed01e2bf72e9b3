import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scenariosDir } from './run-cli.fixture.ts';

interface CreditJson {
  partyId: string;
  kind: string;
  share: number;
  amount: number;
}
interface AttributionJson {
  asOf: string;
  opportunities: {
    opportunityId: string;
    status: string;
    value: { amount: number; currency: string };
    credits: CreditJson[];
  }[];
}

async function runScenario(name: string, extra: string[] = []): Promise<AttributionJson> {
  const dir = join(scenariosDir(), name);
  const r = await runCli([
    'report',
    'attribution',
    '--events',
    join(dir, 'events.ndjson'),
    '--rules',
    join(dir, 'rules.json'),
    '--as-of',
    '2026-12-31T00:00:00Z',
    '--format',
    'json',
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AttributionJson;
}

function expected(name: string): AttributionJson {
  return JSON.parse(readFileSync(join(scenariosDir(), name, 'expected-attribution.json'), 'utf8'));
}

/** Compare like the scenario checker: expected fields must match, shares within 1e-6. */
function expectMatches(actual: AttributionJson, want: AttributionJson) {
  for (const o of want.opportunities) {
    const a = actual.opportunities.find((x) => x.opportunityId === o.opportunityId);
    expect(a, o.opportunityId).toBeDefined();
    expect(a!.status).toBe(o.status);
    expect(a!.value).toEqual(o.value);
    expect(a!.credits.map((c) => [c.partyId, c.kind, c.amount])).toEqual(
      o.credits.map((c) => [c.partyId, c.kind, c.amount]),
    );
    for (const c of o.credits) {
      const got = a!.credits.find((x) => x.partyId === c.partyId)!;
      expect(Math.abs(got.share - c.share)).toBeLessThanOrEqual(1e-6);
    }
  }
}

describe('report attribution (worked examples)', () => {
  it('first-to-register: P-1 registered first and sources the whole $120,000.00', async () => {
    const json = await runScenario('first-to-register');
    expectMatches(json, expected('first-to-register'));
    expect(json.asOf).toBe('2026-12-31T00:00:00.000Z');
  });

  it('time-decay-published: reproduces the published cents per deal', async () => {
    expectMatches(await runScenario('time-decay-published'), expected('time-decay-published'));
  });

  it('shows a partner only its own credit on a shared deal', async () => {
    const json = await runScenario('time-decay-published', ['--partner', 'P-FB']);
    const text = JSON.stringify(json);
    expect(text).not.toContain('P-AW');
    expect(text).not.toContain('house');
    expect(json.opportunities.map((o) => o.credits.map((c) => [c.partyId, c.amount]))).toEqual([
      [['P-FB', 358]],
      [['P-FB', 133]],
    ]);
  });

  it('renders every format', async () => {
    const dir = join(scenariosDir(), 'first-to-register');
    for (const format of ['table', 'csv', 'md', 'html']) {
      const r = await runCli([
        'report',
        'attribution',
        '--events',
        join(dir, 'events.ndjson'),
        '--as-of',
        '2026-12-31T00:00:00Z',
        '--format',
        format,
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('O-1');
      expect(r.stdout).toContain('120,000.00 USD');
    }
  });
});

describe('report sources and disputes', () => {
  it('sums won credits by kind in the rule set currency', async () => {
    const dir = join(scenariosDir(), 'time-decay-published');
    const r = await runCli([
      'report',
      'sources',
      '--events',
      join(dir, 'events.ndjson'),
      '--rules',
      join(dir, 'rules.json'),
      '--as-of',
      '2026-12-31T00:00:00Z',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    // Published totals: Facebook 4.91 + AdWords 3.63 influenced, Direct 6.46 house.
    expect(JSON.parse(r.stdout)).toMatchObject({
      currency: 'USD',
      sourced: 0,
      influenced: 854,
      resold: 0,
      house: 646,
    });
  });
});

describe('report disputes', () => {
  it('lists the open dispute with its age and scopes it to the claimant', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'rl-disputes-'));
    const file = join(dir, 'log.ndjson');
    const lines = [
      {
        streamId: 'opportunity-O-1',
        type: 'OpportunityOpened',
        data: {
          opportunityId: 'O-1',
          accountDomain: 'acme.example',
          accountName: 'Acme',
          value: { amount: 1000, currency: 'USD' },
          ownerId: 'rep-1',
        },
        metadata: { occurredAt: '2026-01-10T00:00:00Z' },
      },
      {
        streamId: 'dispute-D-1',
        type: 'AttributionDisputed',
        data: {
          disputeId: 'D-1',
          opportunityId: 'O-1',
          claimantPartnerId: 'P-2',
          claim: 'we introduced them',
        },
        metadata: { occurredAt: '2026-01-20T06:00:00Z' },
      },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const run = (extra: string[]) =>
      runCli([
        'report',
        'disputes',
        '--events',
        file,
        '--as-of',
        '2026-01-22T00:00:00Z',
        '--format',
        'json',
        ...extra,
      ]);
    const all = await run([]);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).disputes).toMatchObject([
      { disputeId: 'D-1', opportunityId: 'O-1', claimantPartnerId: 'P-2', status: 'open', ageHours: 42 },
    ]);
    expect(JSON.parse((await run(['--partner', 'P-1'])).stdout).disputes).toEqual([]);
    const attribution = await runCli([
      'report',
      'attribution',
      '--events',
      file,
      '--as-of',
      '2026-01-22',
      '--format',
      'json',
    ]);
    expect(JSON.parse(attribution.stdout).opportunities[0]).toMatchObject({
      opportunityId: 'O-1',
      disputed: true,
    });
  });
});
