import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, type RecordedEvent, resolveRuleSet, type RuleSet } from '../packages/core/src/index.ts';
import { buildModel } from '../packages/projections/src/index.ts';
import { reports } from '../packages/cli/src/reports/index.ts';
import { generateLog } from './generate.ts';
import { importNdjsonFile, openStore } from '../packages/adapters/src/index.ts';
import { eachLine, replayFile, replayStore, storeIsEmpty } from './replay-lib.ts';

const AS_OF = '2026-06-30T00:00:00Z';
let dir: string;
let file: string;
let lines: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-lib-'));
  file = join(dir, 'log.ndjson');
  lines = [...generateLog({ events: 20_000, seed: 11 })];
  writeFileSync(file, `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plain path: every line fully validated (`parseEvent`), then `buildModel`. */
function plainModel(rules?: RuleSet) {
  const events = lines.map((line, i) => {
    const parsed = parseEvent(JSON.parse(line), { line: i + 1 });
    return {
      ...parsed.event,
      revision: parsed.revision ?? 0,
      position: parsed.position ?? i + 1,
    } as RecordedEvent;
  });
  return buildModel(events, { asOf: AS_OF, ...(rules ? { rules } : {}) });
}

async function allReports(
  model: Parameters<Awaited<ReturnType<(typeof reports)[string]>>['default']['build']>[0]['model'],
) {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(reports).sort()) {
    const def = (await reports[name]!()).default;
    out[name] = def.build({ model, asOf: new Date(model.asOf).toISOString() }).json;
  }
  return out;
}

describe('the replay benchmark’s fast path', () => {
  it('reads every line of the file, across chunk boundaries', async () => {
    const seen: string[] = [];
    const n = await eachLine(file, (line) => seen.push(line));
    expect(n).toBe(20_000);
    expect(seen).toEqual(lines);
  });

  it('sends a line that fails the envelope check through full validation, which names its line', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${lines[0]}\n${JSON.stringify({ ...JSON.parse(lines[1]!), type: 'NoSuchEvent' })}\n`);
    await expect(replayFile(bad, { asOf: AS_OF })).rejects.toMatchObject({
      code: 'validation',
      location: { line: 2 },
    });
    await expect(replayFile(bad, { asOf: AS_OF })).rejects.toThrow(/NoSuchEvent/);
  });

  it('gives every report the same JSON as the fully validated plain path', async () => {
    const { model, lines: n } = await replayFile(file, { asOf: AS_OF });
    expect(n).toBe(20_000);
    const fast = await allReports(model);
    const plain = await allReports(plainModel());
    expect(Object.keys(fast).length).toBe(Object.keys(reports).length);
    for (const name of Object.keys(plain))
      expect({ name, json: fast[name] }).toEqual({ name, json: plain[name] });
  });

  it('gives the same JSON under the economics rules (conditions, limits, recurring)', async () => {
    const rules = resolveRuleSet(
      JSON.parse(readFileSync(join(import.meta.dirname, 'rules-economics.json'), 'utf8')),
      'rules-economics.json',
    );
    expect(rules.commission.limits.length).toBeGreaterThan(0);
    expect(rules.commission.conditions.length).toBeGreaterThan(0);
    expect(rules.commission.recurring).not.toBeNull();
    const { model } = await replayFile(file, { asOf: AS_OF, rules });
    const fast = await allReports(model);
    const plain = await allReports(plainModel(rules));
    for (const name of Object.keys(plain))
      expect({ name, json: fast[name] }).toEqual({ name, json: plain[name] });
  });
});

describe('the replay benchmark from a store (--store)', () => {
  it('gives every report the same JSON from a SQLite store (integrity and privacy layers) as from the file', async () => {
    const db = join(dir, 'log.db');
    expect(await storeIsEmpty(db)).toBe(true);
    const store = await openStore(db);
    try {
      expect((await importNdjsonFile(store, file)).appended).toBe(20_000);
    } finally {
      await store.close();
    }
    expect(await storeIsEmpty(db)).toBe(false);
    const { model, lines: n } = await replayStore(db, { asOf: AS_OF });
    expect(n).toBe(20_000);
    const fromStore = await allReports(model);
    const fromFile = await allReports((await replayFile(file, { asOf: AS_OF })).model);
    for (const name of Object.keys(fromFile))
      expect({ name, json: fromStore[name] }).toEqual({ name, json: fromFile[name] });
  });
});
