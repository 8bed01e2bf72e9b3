import { Worker } from 'node:worker_threads';
import { currentSchemaVersion, type EventStore, type RecordedEvent } from '@referral-ledger/core';
import { personalPaths } from '../integrity/chain.ts';
import type { SubjectKeyStore } from '../privacy/keys.ts';
import { openSealedEvents } from '../privacy/store.ts';

export interface ReadAheadOptions {
  /** Start after this global position (default 0). */
  readonly after?: number;
  /** Events per page (default 5,000). */
  readonly pageSize?: number;
  /** Called after each page with the number of events applied so far. */
  readonly onPage?: (events: number) => void;
  /** Called at the end with what the worker spent (ms): fetching rows, preparing pages, CPU. */
  readonly onWorkerStats?: (stats: ReadAheadWorkerStats) => void;
}

/** What the read-ahead worker did, and what it spent in milliseconds of its own thread. */
export interface ReadAheadWorkerStats {
  /** Finding each page's bounds (wall). */
  readonly fetchMs: number;
  /** Reading the sealed rows, fetching keys and opening fields (wall). */
  readonly pageMs: number;
  /** The worker thread's CPU time (user + system); 0 when it did not reach the end. */
  readonly cpuMs: number;
  /** Pages whose fields the worker opened. */
  readonly pages: number;
  /** Pages opened on the main thread instead (not foreseen, or after a worker failure). */
  readonly pagesOpenedHere: number;
}

type Message =
  | { readonly from: number; readonly to: number; readonly count: number; readonly opened: string }
  | { readonly done: true; readonly stats: Pick<ReadAheadWorkerStats, 'fetchMs' | 'pageMs' | 'cpuMs'> }
  | { readonly error: { readonly code?: string; readonly message: string } };

/** Pages the worker works on ahead of the one being applied. */
const PAGES_IN_FLIGHT = 2;

const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(fromSource ? './read-ahead-worker.ts' : './read-ahead-worker.js', import.meta.url);
const SOURCE_CONDITION = '--conditions=@referral-ledger/source';

/**
 * Replay a SQLite store's `$all` with its sealed personal fields opened ahead in a worker
 * thread. This thread reads each page from `raw` (the SQLite store under the privacy layer)
 * and applies it; one page ahead, the worker reads the same page's events that name personal
 * paths from its own read-only connection, fetches their subjects' keys (rows of the default
 * key store in the same file) and decrypts their fields (AES-256-GCM, the costly part), so
 * this thread only puts the plaintexts in place. Events come in position order, exactly as
 * `forEachEvent` over the store that `openStore` returns gives them: an erased subject's
 * fields read as `null` and the event as `metadata.erased: true`. Whatever the worker did
 * not open — a page it did not foresee (events appended meanwhile), an event an upcaster
 * changes, anything after a worker error (an altered ciphertext, say) — is opened here
 * through `keys`, as the privacy layer opens it (so an altered ciphertext fails with
 * `privacy.sealed-value-invalid` before its page is applied). Resolves to the number of events.
 *
 * Only for a database file whose keys the default key store (`tableKeyStore`) keeps;
 * `forEachStoredEvent` picks this path for the stores `openStore` opens.
 *
 * @example const n = await forEachSqliteEventAhead('ledger.db', raw, store.privacy.keys, (e) => model.apply(e));
 */
export async function forEachSqliteEventAhead(
  path: string,
  raw: Pick<EventStore, 'readAll'>,
  keys: SubjectKeyStore,
  apply: (event: RecordedEvent) => void,
  options: ReadAheadOptions = {},
): Promise<number> {
  const limit = options.pageSize ?? 5000;
  let after = options.after ?? 0;
  const worker = startWorker({ path, after, pageSize: limit });
  const inbox: Message[] = [];
  let failed = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // A worker that cannot start, fails or stops only means the rest is opened here.
  worker?.on('message', (m: Message) => {
    inbox.push(m);
    signal();
  });
  worker?.on('error', () => {
    failed = true;
    signal();
  });
  worker?.on('exit', () => {
    failed = true;
    signal();
  });
  /** The worker's next page, or null once it has none (done, failed, or out of step). */
  let usable = worker !== null;
  const nextFromWorker = async (): Promise<Message | null> => {
    while (usable && inbox.length === 0 && !failed) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (!usable || inbox.length === 0) return null;
    return inbox.shift()!;
  };
  for (let i = 0; i < PAGES_IN_FLIGHT; i += 1) worker?.postMessage('next');
  let n = 0;
  let pages = 0;
  let pagesOpenedHere = 0;
  let spent = { fetchMs: 0, pageMs: 0, cpuMs: 0 };
  const report = (m: Message | null) => {
    if (m !== null && 'done' in m) spent = m.stats;
    options.onWorkerStats?.({ ...spent, pages, pagesOpenedHere });
  };
  try {
    for (;;) {
      const page = await raw.readAll({ after, limit });
      if (page.length === 0) {
        report(usable ? await nextFromWorker() : null);
        return n;
      }
      const last = page[page.length - 1]!.position;
      const m = usable ? await nextFromWorker() : null;
      let events: RecordedEvent[];
      if (m !== null && 'from' in m && m.from === after && m.to === last && m.count === page.length) {
        worker?.postMessage('next');
        pages += 1;
        events = await openWith(page, JSON.parse(m.opened) as [number, (string | null | 0)[]][], keys);
      } else {
        if (m !== null && 'done' in m) spent = m.stats;
        // Out of step (or done, or failed): the rest is opened here, page by page.
        usable = false;
        pagesOpenedHere += 1;
        events = await openSealedEvents(page, keys);
      }
      for (const e of events) apply(e);
      n += events.length;
      after = last;
      options.onPage?.(n);
    }
  } finally {
    worker?.removeAllListeners('exit');
    await worker?.terminate();
  }
}

/**
 * The worker, or null when this process cannot start one (a worker refuses per-process
 * flags such as `--max-old-space-size`, so it gets only what resolving modules needs: this
 * process's `--conditions`, and the source condition when running from source). It does not
 * repeat `node:sqlite`'s experimental warning (this process gave it, or hid it).
 */
function startWorker(init: { path: string; after: number; pageSize: number }): Worker | null {
  const execArgv = ['--no-warnings=ExperimentalWarning'];
  const own = process.execArgv;
  for (let i = 0; i < own.length; i += 1) {
    if (own[i]!.startsWith('--conditions=')) execArgv.push(own[i]!);
    else if ((own[i] === '--conditions' || own[i] === '-C') && own[i + 1] !== undefined)
      execArgv.push(`--conditions=${own[++i]}`);
  }
  if (fromSource && !execArgv.includes(SOURCE_CONDITION)) execArgv.push(SOURCE_CONDITION);
  try {
    return new Worker(WORKER_URL, { workerData: init, execArgv });
  } catch {
    return null;
  }
}

/**
 * A page read from the SQLite store (fresh objects, no one else holds them) with the
 * worker's plaintexts put in place; an event it did not open, or one an upcaster changed
 * (its fields may have moved), is opened through `keys` as the privacy layer does.
 */
async function openWith(
  page: RecordedEvent[],
  opened: readonly [number, (string | null | 0)[]][],
  keys: SubjectKeyStore,
): Promise<RecordedEvent[]> {
  const byPosition = new Map(opened);
  const rest: number[] = [];
  for (let i = 0; i < page.length; i += 1) {
    const e = page[i]!;
    const paths = personalPaths(e.metadata);
    if (paths.length === 0) continue;
    const values = byPosition.get(e.position);
    if (values === undefined || values.length !== paths.length || currentSchemaVersion(e.type) !== 1) {
      rest.push(i);
      continue;
    }
    let erased = false;
    for (let k = 0; k < paths.length; k += 1) {
      const v = values[k];
      if (v === 0 || v === undefined) continue;
      const parts = paths[k]!.split('.');
      let node = e.data as Record<string, unknown>;
      for (let j = 0; j < parts.length - 1; j += 1) node = node[parts[j]!] as Record<string, unknown>;
      node[parts[parts.length - 1]!] = v;
      if (v === null) erased = true;
    }
    if (erased) (e as { metadata: unknown }).metadata = { ...e.metadata, erased: true };
  }
  if (rest.length > 0) {
    const done = await openSealedEvents(
      rest.map((i) => page[i]!),
      keys,
    );
    for (let k = 0; k < rest.length; k += 1) page[rest[k]!] = done[k]!;
  }
  return page;
}
