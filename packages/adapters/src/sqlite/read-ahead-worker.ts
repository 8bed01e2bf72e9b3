/**
 * The SQLite read-ahead worker (`read-ahead.ts`): one page ahead of the main thread, it
 * finds the page's bounds (the same `position > after … LIMIT` page the main thread will
 * read), reads the page's events that name personal paths from its own read-only
 * connection, fetches their subjects' keys (the default key store's rows in the same file)
 * and opens their sealed fields (AES-256-GCM). The main thread reads and parses the page
 * itself; what crosses over is one short string per page, the JSON of
 * `[[position, values], ...]`: for each event with personal paths, in the order of
 * `metadata.personal`, each field's plaintext, `null` when its key is destroyed or missing,
 * or `0` when the path holds no sealed value.
 *
 * Messages: `'next'` from the main thread asks for one more page; the answer is
 * `{ from, to, count, opened }` (the page is the `count` events after `from` up to `to`),
 * `{ done: true, stats }` once a page comes back empty (`stats`: the worker's milliseconds
 * and CPU time), or `{ error: { code, message } }` (then the worker stops).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { LedgerError } from '@referral-ledger/core';
import { personalPaths } from '../integrity/chain.ts';
import { getPath } from '../privacy/fields.ts';
import { openValue, sealedKeyId, TABLE_KEY_ROW } from '../privacy/keys.ts';
import { SQLITE_LOAD_PROJECTIONS_SQL } from './store.ts';

interface Init {
  readonly path: string;
  readonly after: number;
  readonly pageSize: number;
}
type ReturnArrays = StatementSync & { setReturnArrays?: (on: boolean) => void };

const init = workerData as Init;
const port = parentPort!;
const db = new DatabaseSync(init.path, { readOnly: true, timeout: 5000 });
/** The bounds of the page the main thread reads next (`SQLITE_READ_ALL_SQL`'s rows). */
const readBounds = db.prepare(
  'SELECT count(*), max(position) FROM (SELECT position FROM events WHERE position > ? ORDER BY position LIMIT ?)',
) as ReturnArrays;
readBounds.setReturnArrays?.(true);
/** The page's events that name personal paths (the others have nothing sealed). */
const readSealed = db.prepare(
  "SELECT position, data, metadata FROM events WHERE position > ? AND position <= ? AND instr(metadata, 'personal') > 0 ORDER BY position",
) as ReturnArrays;
readSealed.setReturnArrays?.(true);
const loadKeys = db.prepare(SQLITE_LOAD_PROJECTIONS_SQL);
/**
 * Keys found so far; like `tableKeyStore`'s cache, only keys are kept (a missing one is asked
 * again when a later page needs it). A replay needs nearly every key, so all of them are read
 * first in one scan of the key rows (a fraction of the cost of fetching them page by page):
 * a key destroyed by an erasure committed after this scan still opens this replay's events,
 * as a key already cached by `tableKeyStore` does — the replay reads the keys as they were
 * when it started.
 */
const cache = new Map<string, Uint8Array>();
{
  const prefix = TABLE_KEY_ROW.name('');
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const scan = db.prepare(
    'SELECT name, state FROM projections WHERE version = ? AND name >= ? AND name < ?',
  ) as ReturnArrays;
  scan.setReturnArrays?.(true);
  for (const [name, state] of scan.all(TABLE_KEY_ROW.version, prefix, end) as unknown as [string, string][])
    cache.set(name.slice(prefix.length), new Uint8Array(Buffer.from(state, 'base64')));
}
let after = init.after;
let stopped = false;

/** The sealed fields of the page's events after `from` up to `to`, opened: `[[position, values], ...]` as JSON. */
function openPage(from: number, to: number): string {
  const rows = readSealed.all(from, to) as unknown as [number, string, string][];
  // Their paths, values and key ids first, to fetch the page's keys in one query.
  const sealed: { position: number; paths: readonly string[]; values: unknown[] }[] = [];
  const missing = new Set<string>();
  for (const [position, dataText, metaText] of rows) {
    const paths = personalPaths(JSON.parse(metaText) as Record<string, unknown>);
    if (paths.length === 0) continue;
    const data = JSON.parse(dataText) as unknown;
    const values = paths.map((p) => getPath(data, p));
    for (const v of values) {
      const id = sealedKeyId(v);
      if (id !== null && !cache.has(id)) missing.add(id);
    }
    sealed.push({ position, paths, values });
  }
  if (missing.size > 0) {
    const names = [...missing].map(TABLE_KEY_ROW.name);
    const byName = new Map<string, string>();
    for (const r of loadKeys.all(TABLE_KEY_ROW.version, JSON.stringify(names)) as {
      name: string;
      state: string;
    }[])
      byName.set(r.name, r.state);
    for (const id of missing) {
      const state = byName.get(TABLE_KEY_ROW.name(id));
      if (state !== undefined) cache.set(id, new Uint8Array(Buffer.from(state, 'base64')));
    }
  }
  const opened: string[] = [];
  for (const s of sealed) {
    const out: (string | null | 0)[] = [];
    for (let k = 0; k < s.paths.length; k += 1) {
      const v = s.values[k];
      const id = sealedKeyId(v);
      if (id === null) out.push(0);
      else {
        const key = cache.get(id);
        out.push(key ? openValue(key, s.paths[k]!, v as string) : null);
      }
    }
    opened.push(`[${s.position},${JSON.stringify(out)}]`);
  }
  return `[${opened.join(',')}]`;
}

/** This thread's CPU time (ms), where Node can tell it apart from the process's. */
const threadCpu = (): number => {
  const u = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** What the worker spent, reported with `done`: reading rows, and everything else. */
const stats = { fetchMs: 0, pageMs: 0, cpuMs: 0 };
const cpuAtStart = threadCpu();

port.on('message', () => {
  if (stopped) return;
  try {
    // The page's bounds, its sealed rows and their keys from one snapshot of the database.
    db.exec('BEGIN');
    let count: number;
    let last: number | null;
    let opened = '[]';
    try {
      const t0 = performance.now();
      [count, last] = readBounds.all(after, init.pageSize)[0] as unknown as [number, number | null];
      const t1 = performance.now();
      stats.fetchMs += t1 - t0;
      if (count > 0 && last !== null) opened = openPage(after, last);
      stats.pageMs += performance.now() - t1;
    } finally {
      db.exec('COMMIT');
    }
    if (count === 0 || last === null) {
      stopped = true;
      stats.cpuMs = threadCpu() - cpuAtStart;
      port.postMessage({ done: true, stats });
      return;
    }
    port.postMessage({ from: after, to: last, count, opened });
    after = last;
  } catch (e) {
    stopped = true;
    port.postMessage({
      error: { code: e instanceof LedgerError ? e.code : undefined, message: (e as Error).message },
    });
  }
});
