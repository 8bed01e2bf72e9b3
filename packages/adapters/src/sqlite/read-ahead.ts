import { Worker } from 'node:worker_threads';
import { LedgerError, type RecordedEvent, upcastStored } from '@referral-ledger/core';
import { personalPaths } from '../integrity/chain.ts';
import { getPath } from '../privacy/fields.ts';
import { type SubjectKeyStore, sealedKeyId } from '../privacy/keys.ts';
import { openSealedEvent } from '../privacy/store.ts';

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

/** What the read-ahead worker spent, in milliseconds of its own thread. */
export interface ReadAheadWorkerStats {
  /** Reading rows from SQLite (wall). */
  readonly fetchMs: number;
  /** Opening sealed fields and writing the page string (wall). */
  readonly pageMs: number;
  /** The worker thread's CPU time (user + system). */
  readonly cpuMs: number;
}

type Message =
  | { readonly events: Uint8Array; readonly opened: string; readonly count: number; readonly last: number }
  | { readonly done: true; readonly stats: ReadAheadWorkerStats }
  | { readonly error: { readonly code?: string; readonly message: string } };

/** Pages asked of the worker ahead of the one being applied. */
const PAGES_IN_FLIGHT = 2;

const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(fromSource ? './read-ahead-worker.ts' : './read-ahead-worker.js', import.meta.url);
const SOURCE_CONDITION = '--conditions=@referral-ledger/source';

/**
 * Replay a SQLite store's `$all` with the reading done ahead in a worker thread: the worker
 * fetches each page from its own read-only connection and opens the sealed personal fields
 * (keys from the default key store's rows in the same file, AES-256-GCM), while this thread
 * parses the page before it (one string per page) and hands its events to `apply`. Events
 * come in position order, exactly as `forEachEvent` over the store that `openStore` returns
 * gives them: an erased subject's fields read as `null` and the event as
 * `metadata.erased: true`; an altered ciphertext fails with `privacy.sealed-value-invalid`
 * before any event of its page is applied. An event that an upcaster changes is opened here
 * through `keys`, as the privacy layer does. Resolves to the number of events.
 *
 * Only for a database file that the default key store (`tableKeyStore`) keeps the keys of;
 * `forEachStoredEvent` picks this path for the stores `openStore` opens.
 *
 * @example const n = await forEachSqliteEventAhead('ledger.db', store.privacy.keys, (e) => model.apply(e));
 */
export async function forEachSqliteEventAhead(
  path: string,
  keys: SubjectKeyStore,
  apply: (event: RecordedEvent) => void,
  options: ReadAheadOptions = {},
): Promise<number> {
  // The worker runs this package's modules as this thread does (from source or built), and
  // does not repeat `node:sqlite`'s experimental warning (this process gave it, or hid it).
  const execArgv = [...process.execArgv, '--no-warnings=ExperimentalWarning'];
  if (fromSource && !execArgv.includes(SOURCE_CONDITION)) execArgv.push(SOURCE_CONDITION);
  const worker = new Worker(WORKER_URL, {
    workerData: { path, after: options.after ?? 0, pageSize: options.pageSize ?? 5000 },
    execArgv,
  });
  const inbox: Message[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: Message) => {
    inbox.push(m);
    signal();
  });
  worker.on('error', (e: Error) => {
    failure ??= e;
    signal();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the SQLite read-ahead worker stopped (exit code ${code})`);
    signal();
  });
  const next = async (): Promise<Message> => {
    while (inbox.length === 0) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return inbox.shift()!;
  };
  for (let i = 0; i < PAGES_IN_FLIGHT; i += 1) worker.postMessage('next');
  let n = 0;
  try {
    for (;;) {
      const m = await next();
      if ('done' in m) {
        options.onWorkerStats?.(m.stats);
        return n;
      }
      if ('error' in m) {
        throw m.error.code
          ? new LedgerError(m.error.code, m.error.message)
          : new Error(`reading ${path}: ${m.error.message}`);
      }
      worker.postMessage('next');
      const events = await decodePage(m.events, m.opened, keys);
      for (const e of events) apply(e);
      n += events.length;
      options.onPage?.(n);
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

/** A page from the worker as events, sealed fields opened (see `read-ahead-worker.ts`). */
async function decodePage(
  bytes: Uint8Array,
  openedText: string,
  keys: SubjectKeyStore,
): Promise<RecordedEvent[]> {
  const stored = JSON.parse(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  ) as RecordedEvent[];
  const opened = JSON.parse(openedText) as [number, (string | null | 0)[]][];
  // Every event as the store gives it: upcast to the current schema (the same object while no
  // upcaster changes it).
  const out: RecordedEvent[] = new Array(stored.length);
  for (let i = 0; i < stored.length; i += 1) out[i] = upcastStored(stored[i]!);
  // The worker opened the fields where the stored data has them; an upcaster may have moved
  // them, so the events it changed are opened as the privacy layer does.
  const upcast: number[] = [];
  let i = 0;
  for (const [position, values] of opened) {
    while (stored[i]!.position !== position) i += 1;
    if (out[i] === stored[i]) openInPlace(out[i]!, values);
    else upcast.push(i);
  }
  if (upcast.length > 0) {
    const ids = new Set<string>();
    for (const i of upcast)
      for (const p of personalPaths(out[i]!.metadata)) {
        const id = sealedKeyId(getPath(out[i]!.data, p));
        if (id !== null) ids.add(id);
      }
    const found = keys.getMany
      ? await keys.getMany(ids)
      : new Map(await Promise.all([...ids].map(async (id) => [id, await keys.get(id)] as const)));
    for (const i of upcast) out[i] = openSealedEvent(out[i]!, found);
  }
  return out;
}

/** Put the worker's plaintexts in place in a freshly parsed event (nothing else shares it). */
function openInPlace(e: RecordedEvent, opened: readonly (string | null | 0)[]): void {
  const paths = personalPaths(e.metadata);
  let erased = false;
  for (let k = 0; k < paths.length; k += 1) {
    const v = opened[k];
    if (v === 0 || v === undefined) continue;
    const parts = paths[k]!.split('.');
    let node = e.data as Record<string, unknown>;
    for (let j = 0; j < parts.length - 1; j += 1) node = node[parts[j]!] as Record<string, unknown>;
    node[parts[parts.length - 1]!] = v;
    if (v === null) erased = true;
  }
  if (erased) (e as { metadata: unknown }).metadata = { ...e.metadata, erased: true };
}
