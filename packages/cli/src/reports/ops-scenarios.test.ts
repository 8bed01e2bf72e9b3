import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

/** The worked examples live in `shared/scenarios`, a sibling of the repository root (or of a parent of it). */
function scenariosDir(): string | null {
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, '..', 'shared', 'scenarios');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  return null;
}

const ISO = /^\d{4}-\d{2}-\d{2}T/;

/** Does `actual` carry every field of `expected`? Lists of objects match item by item in any order; timestamps compare as instants. Returns the first mismatch. */
function mismatch(expected: unknown, actual: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list`;
    if (expected.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))) {
      for (const [i, e] of expected.entries()) {
        const errors = actual.map((a) => mismatch(e, a, `${path}[${i}]`));
        if (errors.every((x) => x !== null))
          return `${path}[${i}]: no item matches ${JSON.stringify(e)} (${errors[0] ?? 'empty'})`;
      }
      return null;
    }
    return JSON.stringify([...expected].sort()) === JSON.stringify([...actual].sort())
      ? null
      : `${path}: ${JSON.stringify(actual)}`;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return `${path}: expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) return `${path}.${k}: missing`;
      const err = mismatch(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
      if (err) return err;
    }
    return null;
  }
  if (typeof expected === 'number' && !Number.isInteger(expected))
    return typeof actual === 'number' && Math.abs(actual - expected) <= 1e-6
      ? null
      : `${path}: expected ${expected}, got ${actual}`;
  if (typeof expected === 'string' && ISO.test(expected) && typeof actual === 'string' && ISO.test(actual))
    return Date.parse(expected) === Date.parse(actual)
      ? null
      : `${path}: expected ${expected}, got ${actual}`;
  return Object.is(expected, actual)
    ? null
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const root = scenariosDir();

describe('worked examples through the CLI (shared/scenarios)', () => {
  it('finds shared/scenarios beside the repository', () => {
    expect(root).not.toBeNull();
  });

  for (const [name, report] of [
    ['sla-calendar', 'sla'],
    ['customer-requests', 'requests'],
    ['kpis-april', 'kpis'],
  ] as const) {
    it(`${name}: report ${report} matches expected-${report}.json`, async () => {
      const dir = join(root!, name);
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as {
        asOf?: string;
        args?: string[];
      };
      const expected = JSON.parse(readFileSync(join(dir, `expected-${report}.json`), 'utf8'));
      const r = await runCli([
        'report',
        report,
        '--events',
        join(dir, 'events.ndjson'),
        '--rules',
        join(dir, 'rules.json'),
        '--format',
        'json',
        ...(c.asOf ? ['--as-of', c.asOf] : []),
        ...(c.args ?? []),
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(mismatch(expected, JSON.parse(r.stdout), report)).toBeNull();
    });
  }
});
