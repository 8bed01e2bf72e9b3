import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerOk } from './cli.ts';

/** The shipped sample log: a year of the demo programme (`pnpm ledger demo`, exported once). */
export const SAMPLE_LOG = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'demo-log.ndjson');
export const SAMPLE_AS_OF = '2026-11-20T18:00:00.000Z';
/** The rule set the programme runs on (the demo's 2026-01: first to register, 10 % for 12 months). */
export const CURRENT_RULES = join(import.meta.dirname, 'rules-current.json');
/** The proposal: multi-touch (60 % to the sourced partner, 14-day half-life) and tiered sourced rates. */
export const WHAT_IF_RULES = join(import.meta.dirname, 'rules-what-if.json');

interface Credit {
  readonly partyId: string;
  readonly kind: string;
  readonly share: number;
  readonly amount: number;
}
/** `pnpm ledger diff --format json` (SPEC §9 diff shape, plus the CLI's extras). */
export interface DiffJson {
  readonly currency: string;
  readonly opportunities: readonly {
    opportunityId: string;
    status: string;
    changed: boolean;
    before: readonly Credit[];
    after: readonly Credit[];
  }[];
  readonly partners: readonly {
    partnerId: string;
    creditedDelta: number;
    commissionDelta: number;
    commissionCurrency: string;
  }[];
}

const csv = (rows: readonly (readonly (string | number)[])[]) =>
  `${rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v))).join(',')).join('\r\n')}\r\n`;

/**
 * RevOps' what-if: rebuild every view of the log under `after` and under `before` (the log
 * is not touched) and export the difference: `diff.md` (the CLI's Markdown report),
 * `diff-partners.csv` (per partner: credited and commission deltas in minor units, after −
 * before) and `diff-opportunities.csv` (one row per party of every deal that changed, shares
 * and amounts before and after).
 *
 * @example
 * const r = await runRuleChange({ outDir: 'out' });
 * r.diff.partners.find((p) => p.partnerId === 'P-HA')?.creditedDelta // negative: it shares its deals now
 */
export async function runRuleChange(options: {
  outDir: string;
  log?: string;
  before?: string;
  after?: string;
  asOf?: string;
}): Promise<{ diff: DiffJson; files: string[] }> {
  const args = [
    'diff',
    '--rules',
    options.after ?? WHAT_IF_RULES,
    '--against',
    options.before ?? CURRENT_RULES,
    '--events',
    options.log ?? SAMPLE_LOG,
    '--as-of',
    options.asOf ?? SAMPLE_AS_OF,
  ];
  mkdirSync(options.outDir, { recursive: true });
  const diff = JSON.parse(await ledgerOk([...args, '--format', 'json'])) as DiffJson;
  const md = await ledgerOk([...args, '--format', 'md']);

  const partners = csv([
    ['partnerId', 'creditedDelta', 'currency', 'commissionDelta', 'commissionCurrency'],
    ...diff.partners.map((p) => [
      p.partnerId,
      p.creditedDelta,
      diff.currency,
      p.commissionDelta,
      p.commissionCurrency,
    ]),
  ]);
  const rows: (string | number)[][] = [
    [
      'opportunityId',
      'status',
      'partyId',
      'kind',
      'shareBefore',
      'amountBefore',
      'shareAfter',
      'amountAfter',
    ],
  ];
  for (const o of diff.opportunities) {
    if (!o.changed) continue;
    const keys = [...new Set([...o.before, ...o.after].map((c) => `${c.partyId}\u0000${c.kind}`))].sort();
    for (const key of keys) {
      const [partyId, kind] = key.split('\u0000') as [string, string];
      const b = o.before.find((c) => c.partyId === partyId && c.kind === kind);
      const a = o.after.find((c) => c.partyId === partyId && c.kind === kind);
      rows.push([
        o.opportunityId,
        o.status,
        partyId,
        kind,
        b?.share ?? 0,
        b?.amount ?? 0,
        a?.share ?? 0,
        a?.amount ?? 0,
      ]);
    }
  }
  const files = [
    join(options.outDir, 'diff.md'),
    join(options.outDir, 'diff-partners.csv'),
    join(options.outDir, 'diff-opportunities.csv'),
  ];
  writeFileSync(files[0]!, md);
  writeFileSync(files[1]!, partners);
  writeFileSync(files[2]!, csv(rows));
  return { diff, files };
}
