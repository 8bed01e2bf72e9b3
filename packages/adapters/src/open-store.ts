import { availableParallelism } from 'node:os';
import type { CheckpointStore, EventStore, RecordedEvent } from '@referral-ledger/core';
import { forEachEvent, ValidationError } from '@referral-ledger/core';
import type { ProjectionStateStore } from './runner/types.ts';
import { withIntegrity } from './integrity/store.ts';
import { sqliteScrub } from './privacy/erase.ts';
import { tableKeyStore } from './privacy/keys.ts';
import { type PrivateStore, withPrivacy } from './privacy/store.ts';
import { forEachSqliteEventAhead, type ReadAheadWorkerStats } from './sqlite/read-ahead.ts';
import { getSQLiteEventStore } from './sqlite/store.ts';

/** The CLI's default store: an embedded SQLite file in the working directory. */
export const DEFAULT_STORE_PATH = './.referral-ledger/ledger.db';

/** A store the CLI can open: any event store, with checkpoints and projection snapshots. */
export type OpenedStore = EventStore & Partial<CheckpointStore> & Partial<ProjectionStateStore>;

/** Which kind of store a `--store` target names. */
export function storeKindOf(target: string): 'sqlite' | 'postgres' | 'eventstoredb' {
  if (/^postgres(ql)?:\/\//i.test(target)) return 'postgres';
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent):\/\//i.test(target))
    return 'eventstoredb';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new ValidationError(
      `--store ${target}: unknown store; give a SQLite file path, a postgres:// URL, or an esdb:// / kurrentdb:// URL`,
      [{ path: '--store', message: 'unknown scheme' }],
    );
  }
  return 'sqlite';
}

/**
 * Open a store from a CLI target (SPEC §9): a SQLite file path (default
 * `./.referral-ledger/ledger.db`), a `postgres://` URL (schema from `?schema=`, default
 * `referral_ledger`; `?prepared=false` turns off prepared statements), or an `esdb://` /
 * `kurrentdb://` URL. Drivers load only when needed, so the CLI starts fast and `pg` /
 * `@eventstore/db-client` stay optional.
 *
 * @example const store = await openStore('postgres://postgres@127.0.0.1:5432/test');
 */
export async function openStore(
  target: string = DEFAULT_STORE_PATH,
  options: OpenStoreOptions = {},
): Promise<OpenedStore & Partial<PrivateStore<EventStore>>> {
  const raw = await openRawStore(target);
  const db = (raw as { db?: { exec(sql: string): void; readonly isTransaction: boolean } }).db;
  // Freed pages (a destroyed key) are overwritten with zeros, not left in the file.
  if (db) db.exec('PRAGMA secure_delete = ON');
  // Every store the CLI opens chains what it appends (SPEC §8 Integrity) ...
  const chained = withIntegrity(raw);
  if (typeof raw.loadProjection !== 'function' || typeof raw.saveProjection !== 'function') return chained;
  // ... and seals personal fields before they reach it (SPEC §10), keys in the same store.
  const store = await withPrivacy(chained, {
    // On SQLite the key writes of a batch share the store's transaction gate (`transaction`):
    // a batch held across awaits on the bare connection made a concurrent append or import fail
    // as 'busy' ("cannot start a transaction within a transaction").
    keys: tableKeyStore(raw as OpenedStore & ProjectionStateStore, transactionOf(raw)),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  // A SQLite file (keys in its own table) can be read ahead by a worker (`forEachStoredEvent`).
  if (raw.kind === 'sqlite' && target !== ':memory:' && !target.startsWith('file:'))
    sqliteFiles.set(store, { path: target, raw });
  return store;
}

/** The SQLite file (and its bare store) behind each store `openStore` opened with its keys in the same file. */
const sqliteFiles = new WeakMap<object, { path: string; raw: EventStore }>();

/** Below this many events to read, a worker costs more to start than it saves. */
export const READ_AHEAD_MIN_EVENTS = 20_000;

export interface ForEachStoredEventOptions {
  /** Start after this global position (default 0). */
  readonly after?: number;
  /** Events per page (default 5,000). */
  readonly pageSize?: number;
  /** Called after each page with the number of events applied so far. */
  readonly onPage?: (events: number) => void;
  /**
   * `auto` (default): read a SQLite file opened by `openStore` ahead in a worker thread when
   * at least `READ_AHEAD_MIN_EVENTS` events are to be read and the machine has two cores or
   * more (other stores read every key first, in one query, for reads that long); `worker`:
   * whenever the store allows it; `off`: neither (`forEachEvent` over the store).
   */
  readonly readAhead?: 'auto' | 'worker' | 'off';
  /** Called at the end of a read ahead with what its worker spent (not called otherwise). */
  readonly onWorkerStats?: (stats: ReadAheadWorkerStats) => void;
}

/**
 * Hand every event of a store opened by `openStore` to `apply`, in position order, page by
 * page; resolves to the number of events. What `forEachEvent(store, apply)` does, but for a
 * SQLite file a worker thread opens the next page's sealed personal fields while this
 * thread reads and applies the current one (`forEachSqliteEventAhead`): the same events,
 * erased subjects included. Other stores (and small SQLite reads) go through `forEachEvent`.
 *
 * @example const n = await forEachStoredEvent(await openStore('ledger.db'), (e) => model.apply(e));
 */
export async function forEachStoredEvent(
  store: EventStore & Partial<PrivateStore<EventStore>>,
  apply: (event: RecordedEvent) => void,
  options: ForEachStoredEventOptions = {},
): Promise<number> {
  const file = sqliteFiles.get(store);
  const mode = options.readAhead ?? 'auto';
  const plain = {
    ...(options.after !== undefined ? { after: options.after } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.onPage !== undefined ? { onPage: options.onPage } : {}),
  };
  if (file !== undefined && store.privacy && mode !== 'off') {
    const worth =
      mode === 'worker' ||
      (availableParallelism() >= 2 &&
        (await store.headPosition()) - (options.after ?? 0) >= READ_AHEAD_MIN_EVENTS);
    if (worth)
      return forEachSqliteEventAhead(file.path, file.raw, store.privacy.keys, apply, {
        ...plain,
        ...(options.onWorkerStats !== undefined ? { onWorkerStats: options.onWorkerStats } : {}),
      });
  }
  // A whole log needs nearly every key: one query for all of them, not one per page.
  if (
    mode !== 'off' &&
    store.privacy?.keys.warm &&
    (await store.headPosition()) - (options.after ?? 0) >= READ_AHEAD_MIN_EVENTS
  )
    await store.privacy.keys.warm();
  return forEachEvent(store, apply, plain);
}

export interface OpenStoreOptions {
  /** The ledger's secret (default: `REFERRAL_LEDGER_SECRET`, else the store's own). */
  readonly secret?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** How to scrub a store's files after an erasure (SQLite: WAL checkpoint and VACUUM). */
export function scrubberFor(store: EventStore): (() => Promise<void>) | undefined {
  const db = (store as { db?: { exec(sql: string): void } }).db;
  return db ? sqliteScrub(db) : undefined;
}

/**
 * Open a store from a CLI target without the integrity layer: what `verify` reads, and
 * what tests tamper with. Appends through it are not chained; use `openStore`.
 */
export async function openRawStore(target: string = DEFAULT_STORE_PATH): Promise<OpenedStore> {
  const kind = storeKindOf(target);
  if (kind === 'postgres') {
    const url = new URL(target);
    const schema = url.searchParams.get('schema') ?? undefined;
    // `?prepared=false` behind PgBouncer in transaction mode (see docs/stores/postgres.md).
    const prepared = url.searchParams.get('prepared');
    url.searchParams.delete('schema');
    url.searchParams.delete('prepared');
    const { getPostgreSQLEventStore } = await import('./postgres/store.ts');
    return getPostgreSQLEventStore({
      connectionString: url.toString(),
      ...(schema ? { schema } : {}),
      ...(prepared === 'false' ? { preparedStatements: false } : {}),
    });
  }
  if (kind === 'eventstoredb') {
    const { getEventStoreDBEventStore } = await import('./eventstoredb/store.ts');
    return getEventStoreDBEventStore(target);
  }
  return getSQLiteEventStore({ path: target });
}

/** The key store's `batch` for a store that runs a function in one transaction (SQLite). */
function transactionOf(raw: object): { batch?: <T>(fn: () => Promise<T>) => Promise<T> } {
  const t = (raw as { transaction?: <T>(fn: () => Promise<T>) => Promise<T> }).transaction;
  return typeof t === 'function' ? { batch: <T>(fn: () => Promise<T>) => t.call(raw, fn) as Promise<T> } : {};
}
