/**
 * The SQLite read-ahead worker (`read-ahead.ts`): reads `$all` page by page from its own
 * read-only connection and opens the sealed personal fields of each page (the subjects'
 * keys from the default key store's rows, AES-256-GCM), while the main thread parses and
 * applies the page before. A page crosses to the main thread as one string (strings cross
 * threads as one copy; objects would be cloned field by field), the JSON of
 * `{ events, opened }`: `events` as the store reads them (`data` and `metadata` are the
 * stored JSON text as it is, still sealed), and `opened` a list of `[index, values]` for the
 * events with sealed fields: in the order of `metadata.personal`, each field's plaintext,
 * `null` when its key is destroyed or missing, or `0` when the path holds no sealed value.
 *
 * Messages: `'next'` from the main thread asks for one more page; the answer is
 * `{ page, count, last }`, `{ done: true, stats }` once a page comes back empty (`stats`: the
 * worker's milliseconds fetching rows and preparing pages, and its CPU time), or
 * `{ error: { code, message } }` (then the worker stops reading).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { LedgerError } from '@referral-ledger/core';
import { personalPaths } from '../integrity/chain.ts';
import { getPath } from '../privacy/fields.ts';
import { openValue, sealedKeyId, TABLE_KEY_ROW } from '../privacy/keys.ts';
import { SQLITE_LOAD_PROJECTIONS_SQL, SQLITE_READ_ALL_SQL } from './store.ts';

interface Init {
  readonly path: string;
  readonly after: number;
  readonly pageSize: number;
}
type Row = [number, string, number, string, string, string];
type ReturnArrays = StatementSync & { setReturnArrays?: (on: boolean) => void };

const init = workerData as Init;
const port = parentPort!;
const db = new DatabaseSync(init.path, { readOnly: true, timeout: 5000 });
const readAll = db.prepare(SQLITE_READ_ALL_SQL) as ReturnArrays;
readAll.setReturnArrays?.(true);
const loadKeys = db.prepare(SQLITE_LOAD_PROJECTIONS_SQL);
/** Keys found so far; like `tableKeyStore`, only keys are kept (a missing one is asked again). */
const cache = new Map<string, Uint8Array>();
let after = init.after;
let stopped = false;

/** The page's rows as one JSON string, sealed fields opened. */
function page(rows: readonly Row[]): string {
  // Sealed rows first: their paths, values and key ids, to fetch the page's keys in one query.
  const sealed: { i: number; paths: readonly string[]; values: unknown[] }[] = [];
  const missing = new Set<string>();
  for (let i = 0; i < rows.length; i += 1) {
    const meta = rows[i]![5];
    // Cheap test first: metadata naming no personal path is most of the log.
    if (!meta.includes('personal')) continue;
    const paths = personalPaths(JSON.parse(meta) as Record<string, unknown>);
    if (paths.length === 0) continue;
    const data = JSON.parse(rows[i]![4]) as unknown;
    const values = paths.map((p) => getPath(data, p));
    for (const v of values) {
      const id = sealedKeyId(v);
      if (id !== null && !cache.has(id)) missing.add(id);
    }
    sealed.push({ i, paths, values });
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
    opened.push(`[${s.i},${JSON.stringify(out)}]`);
  }
  // Each event in the shape the store reads it (JSON.parse then builds it directly).
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    parts[i] =
      `{"streamId":${JSON.stringify(r[1])},"type":${JSON.stringify(r[3])},"data":${r[4]},"metadata":${r[5]},"revision":${r[2]},"position":${r[0]}}`;
  }
  return `{"events":[${parts.join(',')}],"opened":[${opened.join(',')}]}`;
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
    const t0 = performance.now();
    const rows = readAll.all(after, init.pageSize) as unknown as Row[];
    const t1 = performance.now();
    stats.fetchMs += t1 - t0;
    if (rows.length === 0) {
      stopped = true;
      stats.cpuMs = threadCpu() - cpuAtStart;
      port.postMessage({ done: true, stats });
      return;
    }
    const text = page(rows);
    stats.pageMs += performance.now() - t1;
    after = rows[rows.length - 1]![0];
    port.postMessage({ page: text, count: rows.length, last: after });
  } catch (e) {
    stopped = true;
    port.postMessage({
      error: { code: e instanceof LedgerError ? e.code : undefined, message: (e as Error).message },
    });
  }
});
