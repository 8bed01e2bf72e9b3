import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/examples');
const log = join(docs, 'exchange.ndjson');
const asOf = '2026-05-04T12:00:00Z';
const NAMES = ['sla', 'funnel', 'referrals', 'reviews', 'shares', 'requests', 'kpis'] as const;

describe('the operations reports in every format', () => {
  for (const name of NAMES) {
    it(`report ${name} renders table, csv, md and html`, async () => {
      for (const format of ['table', 'csv', 'md', 'html']) {
        const r = await runCli(['report', name, '--events', log, '--as-of', asOf, '--format', format]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        if (format === 'table') expect(r.stdout).toContain('As of: 2026-05-04T12:00:00.000Z');
        if (format === 'md') expect(r.stdout).toMatch(/^# /);
        if (format === 'html') {
          expect(r.stdout).toMatch(/^<!doctype html>/);
          expect(r.stdout).not.toMatch(/<script|(src|href)=["']https?:/);
        }
      }
    });
  }

  it('draws the funnel stages and SLA met vs breached as inline SVG', async () => {
    for (const name of ['funnel', 'sla']) {
      const r = await runCli(['report', name, '--events', log, '--as-of', asOf, '--format', 'html']);
      expect(r.stdout).toContain('<svg');
    }
  });

  it('prints the brief table a person can read', async () => {
    const r = await runCli(['report', 'referrals', '--events', log, '--as-of', asOf]);
    expect(r.stdout).toMatch(/R-2\s+P-1\s+Northwind\s+submitted\s+review: self-referral/);
  });

  it('--partner shows only that partner’s rows', async () => {
    const other = await runCli([
      'report',
      'requests',
      '--events',
      log,
      '--as-of',
      asOf,
      '--partner',
      'P-1',
      '--format',
      'json',
    ]);
    expect(JSON.parse(other.stdout).customers).toEqual([]);
    const own = await runCli([
      'report',
      'requests',
      '--events',
      log,
      '--as-of',
      asOf,
      '--partner',
      'K-1',
      '--format',
      'json',
    ]);
    expect(JSON.parse(own.stdout).customers.map((c: { partnerId: string }) => c.partnerId)).toEqual(['K-1']);
    const funnel = await runCli([
      'report',
      'funnel',
      '--events',
      log,
      '--as-of',
      asOf,
      '--partner',
      'K-1',
      '--format',
      'json',
    ]);
    expect(JSON.parse(funnel.stdout).stages.submitted).toBe(0);
  });
});
