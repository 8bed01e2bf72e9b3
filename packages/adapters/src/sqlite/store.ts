import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  upcastStored,
  type AppendResult,
  type BatchResult,
  type ChunkedAppendResult,
  type CheckpointStore,
  checkExpectedRevision,
  type CompletedEvent,
  type EventStore,
  eventContentKey,
  type ExpectedRevision,
  LedgerError,
  type NewEvent,
  planWrite,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreUnavailableError,
  type StreamWrite,
  type SubscribeOptions,
  type Subscription,
  Subscriptions,
} from '@referral-ledger/core';
import type { ProjectionStateStore, StoredProjection } from '../runner/types.ts';
import { IdFilter } from './id-filter.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { isCanonicalUuid } from './uuid.ts';

export interface SQLiteEventStoreOptions {
  /** Database file, or `:memory:`. Parent folders are created. */
  readonly path: string;
  /**
   * `PRAGMA synchronous`: `full` (default) makes every acknowledged append survive a power
   * loss; `normal` keeps the database consistent but may lose the last commits on power loss
   * (never on a process crash), for several times the single-append throughput.
   */
  readonly durability?: 'full' | 'normal';
  /** Clock for `recordedAt` of events appended without one. */
  readonly clock?: () => Date;
  /** How often (ms) subscribers poll for appends made by other processes; default 250. */
  readonly pollIntervalMs?: number;
  /**
   * The shortest run of newest event ids an append keeps in memory (about 100 bytes each)
   * before moving them into the on-disk idempotency index in one sorted run; default 10,000.
   * The run grows with the ledger (an eighth of the ids already indexed, at most 100,000 or
   * this value if larger) so that a run keeps touching most index pages once, not once per
   * id. Longer runs write fewer index pages per event; shorter ones hold less memory.
   */
  readonly idIndexRun?: number;
  /**
   * Keep a Bloom filter of the indexed event ids in memory (2–4 bytes an id), so that an
   * append looks up in `event_ids` only the ids the filter cannot rule out (a few in a
   * thousand), not all of them; default true. The filter is built (`event_ids` read a chunk
   * per append) once this store has looked up as many ids as the index holds, so a
   * short-lived store (one CLI command) never pays for it; it is dropped when another
   * connection extends the index.
   */
  readonly idFilter?: boolean;
  /**
   * How many keys of `event_ids` an append reads into the id filter while it is being built
   * (~1.5 µs a key, before the append takes the write lock); default 20,000.
   */
  readonly idFilterChunk?: number;
}

/** The SQLite store: an event store with checkpoints and projection snapshots in the same file. */
export type SQLiteEventStore = EventStore &
  CheckpointStore &
  ProjectionStateStore & {
    readonly db: DatabaseSync;
    /**
     * Run `fn` in one write transaction of this store (`BEGIN IMMEDIATE … COMMIT`, rolled back
     * if it throws), as an `appendChunks` holds one: other calls on the store wait for it, the
     * calls `fn` makes go on. Inside an `appendChunks`' chunk source (or another
     * `transaction`), `fn` runs in that transaction. The privacy layer's key store batches
     * its key writes this way.
     *
     * @example await store.transaction(async () => { await store.saveProjection('a', 'v1', 0, 's'); });
     */
    transaction<T>(fn: () => Promise<T>): Promise<T>;
  };

interface Row {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/** Rows per multi-row INSERT (6 parameters each, well under SQLite's 32766-parameter limit). */
const INSERT_CHUNK = 100;

type RowArray = [number, string, number, string, string, string];

/**
 * The stored idempotency key of an event id (schema 4): a canonical lowercase UUID as its 16
 * bytes, any other id as its text. A BLOB never equals a TEXT, so the two cannot collide.
 * (Appends of canonical UUIDs let SQLite compute the bytes: `unhex(id, '-')`.)
 *
 * @example sqliteEventKey('0b7e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5b'); // Uint8Array(16)
 */
export function sqliteEventKey(eventId: string): string | Uint8Array {
  return isCanonicalUuid(eventId) ? Buffer.from(eventId.replaceAll('-', ''), 'hex') : eventId;
}

/** The event id a stored key stands for (the inverse of `sqliteEventKey`). */
function eventIdOfKey(key: string | Uint8Array): string {
  if (typeof key === 'string') return key;
  const h = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Appends keep the ids of the newest events in memory and move them into the `event_ids`
 * index in one sorted run when the tail reaches `max(ID_INDEX_RUN, min(indexed / 8,
 * ID_INDEX_RUN_MAX))` ids. A run of r random ids into an index of p leaf pages (~150 ids
 * each) rewrites about p·(1 − e^(−r/p)) pages: with r an eighth of the index, every page
 * once, ~0.05 page per id, where a unique index updated per append of 100 rewrites ~1 page
 * per id. Past 800,000 indexed ids the run stops growing and the cost per id creeps up.
 */
const ID_INDEX_RUN = 10_000;
const ID_INDEX_RUN_MAX = 100_000;
/** Keys of `event_ids` an append reads into the id filter while it is being built (~30 ms). */
const ID_FILTER_CHUNK = 20_000;

interface Row2 {
  position: number;
  event_id: string | Uint8Array;
}

/**
 * One page of `$all`: `position, stream_id, revision, type, data, metadata` after a position
 * (parameters: after, limit). The read-ahead worker (`read-ahead.ts`) runs the same query.
 */
export const SQLITE_READ_ALL_SQL =
  'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?';

/** Several projection rows of one version by name (parameters: version, JSON array of names). */
export const SQLITE_LOAD_PROJECTIONS_SQL =
  'SELECT name, position, state FROM projections WHERE version = ? AND name IN (SELECT value FROM json_each(?))';

/** Rows as arrays (`setReturnArrays`, Node ≥ 24) skip building a keyed object per row: ~2× faster reads. */
function toEventFromArray(r: RowArray): RecordedEvent {
  return upcastStored({
    streamId: r[1],
    type: r[3],
    data: JSON.parse(r[4]),
    metadata: JSON.parse(r[5]),
    revision: r[2],
    position: r[0],
  } as RecordedEvent);
}

/** Read rows from a statement selecting `position, stream_id, revision, type, data, metadata` (the id is in the metadata). */
function readRows(stmt: StatementSync, arrays: boolean, ...params: (string | number)[]): RecordedEvent[] {
  return arrays
    ? (stmt.all(...params) as unknown as RowArray[]).map(toEventFromArray)
    : (stmt.all(...params) as unknown as Row[]).map(toEvent);
}

function toEvent(r: Row): RecordedEvent {
  return upcastStored({
    streamId: r.stream_id,
    type: r.type,
    data: JSON.parse(r.data),
    metadata: JSON.parse(r.metadata),
    revision: r.revision,
    position: r.position,
  } as RecordedEvent);
}

/**
 * The embedded default store, on Node's built-in `node:sqlite`: WAL mode, one writer at a
 * time (`BEGIN IMMEDIATE`), expected-revision checks and idempotent appends inside the
 * write transaction, global positions from the rowid.
 *
 * @example const store = getSQLiteEventStore({ path: './.referral-ledger/ledger.db' });
 */
export function getSQLiteEventStore(options: SQLiteEventStoreOptions): SQLiteEventStore {
  const clock = options.clock ?? (() => new Date());
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(options.path, { timeout: 5000 });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.exec('PRAGMA foreign_keys = ON');
    // Checkpoint the WAL every ~16 MB instead of every 4 MB: random event-id index pages
    // touched by many commits are then copied to the database once, not once per 4 MB.
    // Durability is unchanged (the WAL is fsynced per commit under `full`).
    db.exec('PRAGMA wal_autocheckpoint = 4000');
    // A 100-row INSERT inside the append's transaction keeps a statement journal (the pages
    // it changed, so a failed statement can be undone alone). Past 64 KiB SQLite spills it to
    // a temporary file: a second copy of every page a batch touches went through write(2).
    // In memory it costs at most the batch's pages in RAM; it is not part of durability.
    db.exec('PRAGMA temp_store = MEMORY');
  } catch (e) {
    throw new StoreUnavailableError(`cannot open SQLite database ${options.path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  migrate(db, options.path);

  const q = {
    // Prepared once: `exec` would parse them again at every append.
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    head: db.prepare('SELECT coalesce(max(position), 0) AS p FROM events'),
    streamRev: db.prepare('SELECT revision FROM streams WHERE stream_id = ?'),
    byPosition: db.prepare('SELECT stream_id, type, data, metadata FROM events WHERE position = ?'),
    idIndexed: db.prepare('SELECT position FROM event_ids WHERE event_id = ?'),
    idsThrough: db.prepare("SELECT value FROM store_state WHERE name = 'event_ids_through'"),
    indexedKeys: db.prepare('SELECT event_id FROM event_ids ORDER BY event_id LIMIT ?'),
    indexedKeysAfter: db.prepare(
      'SELECT event_id FROM event_ids WHERE event_id > ? ORDER BY event_id LIMIT ?',
    ),
    probeUuids: db.prepare(
      // Canonical UUIDs only (checked by the caller): unhex skips their hyphens.
      "SELECT e.key AS i, x.position FROM json_each(?) AS e JOIN event_ids AS x ON x.event_id = unhex(e.value, '-')",
    ),
    probeTexts: db.prepare(
      'SELECT e.key AS i, x.position FROM json_each(?) AS e JOIN event_ids AS x ON x.event_id = e.value',
    ),
    // What every append reads first, in one statement: where the id index ends, where the
    // log ends, its streams' revisions and, for a one-event append, its id's indexed position.
    preflight: db.prepare(
      `SELECT (SELECT value FROM store_state WHERE name = 'event_ids_through') AS through,
              (SELECT coalesce(max(position), 0) FROM events) AS head,
              (SELECT revision FROM streams WHERE stream_id = ?) AS revision,
              (SELECT position FROM event_ids WHERE event_id = ?) AS indexed`,
    ),
    preflightMany: db.prepare(
      `SELECT (SELECT value FROM store_state WHERE name = 'event_ids_through') AS through,
              (SELECT coalesce(max(position), 0) FROM events) AS head,
              (SELECT json_group_array(
                        coalesce((SELECT revision FROM streams WHERE stream_id = s.value), -1)
                        ORDER BY s.key)
                 FROM json_each(?) AS s) AS revisions`,
    ),
    setIdsThrough: db.prepare("UPDATE store_state SET value = ? WHERE name = 'event_ids_through'"),
    tailSince: db.prepare('SELECT position, event_id FROM events WHERE position > ? ORDER BY position'),
    indexTail: db.prepare(
      'INSERT OR REPLACE INTO event_ids (event_id, position) SELECT event_id, position FROM events WHERE position > ? ORDER BY event_id',
    ),
    readStream: db.prepare(
      'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    readAll: db.prepare(SQLITE_READ_ALL_SQL),
    getCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?'),
    setCheckpoint: db.prepare(
      'INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    ),
    loadProjection: db.prepare('SELECT position, state FROM projections WHERE name = ? AND version = ?'),
    loadProjections: db.prepare(SQLITE_LOAD_PROJECTIONS_SQL),
    loadProjectionsByPrefix: db.prepare(
      'SELECT name, position, state FROM projections WHERE version = ? AND name >= ? AND name < ?',
    ),
    saveProjection: db.prepare(
      'INSERT INTO projections (name, version, position, state, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, version) DO UPDATE SET position = excluded.position, state = excluded.state, updated_at = excluded.updated_at',
    ),
    activeVersion: db.prepare('SELECT version FROM projection_active WHERE name = ?'),
    activateVersion: db.prepare(
      'INSERT INTO projection_active (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version',
    ),
    dropProjection: db.prepare('DELETE FROM projections WHERE name = ? AND version = ?'),
  } satisfies Record<string, StatementSync>;

  const statement = q.readAll as StatementSync & { setReturnArrays?: (on: boolean) => void };
  const arrays = typeof statement.setReturnArrays === 'function';
  if (arrays) {
    for (const st of [q.readAll, q.readStream, q.tailSince, q.indexedKeys, q.indexedKeysAfter])
      (st as typeof statement).setReturnArrays!(true);
  }

  // Multi-row statements prepared once per row count: an append's events go in one INSERT
  // per INSERT_CHUNK rows (across all its writes), its streams' heads in one upsert.
  const prepared = new Map<string, StatementSync>();
  const statementFor = (key: string, sql: () => string): StatementSync => {
    let st = prepared.get(key);
    if (!st) {
      st = db.prepare(sql());
      prepared.set(key, st);
    }
    return st;
  };
  // Ids that are all canonical UUIDs are bound as text and SQLite stores their 16 bytes
  // (`unhex`): cheaper than building a Buffer per id in JS.
  const insertStatement = (rows: number, uuids: boolean): StatementSync =>
    statementFor(`insert:${rows}:${uuids}`, () => {
      const row = uuids ? "(?, ?, unhex(?, '-'), ?, ?, ?)" : '(?, ?, ?, ?, ?, ?)';
      return `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
    });
  const upsertStatement = (rows: number): StatementSync =>
    statementFor(
      `streams:${rows}`,
      () =>
        `INSERT INTO streams (stream_id, revision) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')} ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
    );
  /**
   * Insert the planned writes' fresh events, in order, each write's from its `start`
   * revision; returns each write's positions (rowids).
   */
  const insertEvents = (
    planned: readonly { w: StreamWrite; fresh: CompletedEvent[]; start: number }[],
    knownUuids: boolean,
  ): number[][] => {
    const out: number[][] = planned.map((p) => new Array<number>(p.fresh.length));
    let total = 0;
    for (const p of planned) total += p.fresh.length;
    // Walk the rows in order across writes: write `pi`, its event `ei`.
    let pi = 0;
    let ei = 0;
    for (let i = 0; i < total; i += INSERT_CHUNK) {
      const n = Math.min(INSERT_CHUNK, total - i);
      const startPi = pi;
      const startEi = ei;
      let uuids = knownUuids;
      const params: (string | number | Uint8Array)[] = new Array(n * 6);
      for (let j = 0; j < n; j++) {
        while (ei >= planned[pi]!.fresh.length) {
          pi++;
          ei = 0;
        }
        const p = planned[pi]!;
        const e = p.fresh[ei]!;
        const k = j * 6;
        params[k] = p.w.streamId;
        params[k + 1] = p.start + ei;
        params[k + 2] = e.metadata.eventId;
        params[k + 3] = e.type;
        params[k + 4] = JSON.stringify(e.data);
        params[k + 5] = JSON.stringify(e.metadata);
        if (!knownUuids && uuids) uuids = isCanonicalUuid(e.metadata.eventId);
        ei++;
      }
      if (!uuids) for (let j = 0; j < n; j++) params[j * 6 + 2] = sqliteEventKey(params[j * 6 + 2] as string);
      // Rows of one INSERT take consecutive rowids (max + 1 each) while we hold the write lock.
      const last = Number(insertStatement(n, uuids).run(...params).lastInsertRowid);
      pi = startPi;
      ei = startEi;
      for (let j = 0; j < n; j++) {
        while (ei >= planned[pi]!.fresh.length) {
          pi++;
          ei = 0;
        }
        out[pi]![ei] = last - (n - 1 - j);
        ei++;
      }
    }
    return out;
  };
  /** Set each stream's head revision, one statement per INSERT_CHUNK streams. */
  const upsertStreams = (heads: Map<string, number>): void => {
    const all = [...heads];
    for (let i = 0; i < all.length; i += INSERT_CHUNK) {
      const chunk = all.slice(i, i + INSERT_CHUNK);
      upsertStatement(chunk.length).run(...chunk.flat());
    }
  };

  const revisionOf = (streamId: string): number => {
    const r = q.streamRev.get(streamId) as { revision: number } | undefined;
    return r ? r.revision : -1;
  };
  const readAllSync = (opts: ReadAllOptions = {}): RecordedEvent[] =>
    readRows(q.readAll, arrays, opts.after ?? 0, opts.limit ?? -1);
  const headSync = (): number => (q.head.get() as { p: number }).p;

  const subs = new Subscriptions(
    async (after, limit) => {
      while (blocked()) await gate();
      return readAllSync({ after, limit });
    },
    async () => {
      while (blocked()) await gate();
      return headSync();
    },
  );

  // Idempotency by event id (schema 4). `event_ids` indexes the ids of positions up to
  // `idsThrough`; the ids of the later positions (the tail, at most one run: see
  // ID_INDEX_RUN) are held here in memory, read from the events table under the write
  // lock, so a batch's random ids do not each dirty a page of a large index at every commit.
  const idIndexRun = Math.max(1, options.idIndexRun ?? ID_INDEX_RUN);
  let idsThrough = -1; // -1: not read yet
  let tailSeen = 0; // the highest position whose id `tail` holds
  const tail = new Map<string, number>();
  // Set when an appendChunks rolls back: `tail` may hold ids of events that were never
  // committed, at positions another connection may fill before this store looks again
  // (then `tailSeen > head` no longer tells), so the tail is read again from the file.
  // (Before appendChunks the tail changed only after a commit.)
  let tailStale = false;
  /** Bring `tail` up to date with appends of any process; call under the write lock. */
  const syncTail = (state: { through: number; head: number }): void => {
    let through = state.through;
    const head = state.head;
    if (through > head) {
      // The newest events were deleted behind the store's back, and SQLite will hand their
      // positions out again: the index must not claim positions it has not seen.
      q.setIdsThrough.run(head);
      through = head;
    }
    // The filter answers for the index as it was at `filterThrough`; if another connection
    // extended the index (or it was cut), stop trusting it: look ids up until it is rebuilt.
    if ((filter && through !== filterThrough) || (building && through !== building.through)) dropFilter();
    if (tailStale || through !== idsThrough || tailSeen > head) {
      tailStale = false;
      // Another process indexed the tail (or rows were removed behind the store's back).
      tail.clear();
      idsThrough = through;
      tailSeen = through;
    }
    if (tailSeen === head) return; // nothing appended since this store last looked
    const rows = q.tailSince.all(tailSeen) as unknown as ([number, string | Uint8Array] | Row2)[];
    for (const r of rows) {
      const [position, key] = Array.isArray(r) ? r : [r.position, r.event_id];
      tail.set(eventIdOfKey(key), position);
      tailSeen = position;
    }
  };
  const indexedPosition = (id: string): number | undefined =>
    filter && !filter.mayContain(id)
      ? undefined
      : (q.idIndexed.get(sqliteEventKey(id)) as { position: number } | undefined)?.position;

  // The Bloom filter of the ids in `event_ids`, as the index stood at `filterThrough`; while
  // it is being built, the part read so far (keys up to `after`) and the runs since.
  const useFilter = options.idFilter ?? true;
  const filterChunk = Math.max(1, options.idFilterChunk ?? ID_FILTER_CHUNK);
  let filter: IdFilter | undefined;
  let filterThrough = -1;
  let building: { f: IdFilter; after: string | Uint8Array | null; through: number } | undefined;
  let probedWithoutFilter = 0; // ids looked up in `event_ids` since the filter was last dropped
  const dropFilter = (): void => {
    filter = undefined;
    filterThrough = -1;
    building = undefined;
    probedWithoutFilter = 0;
  };
  /**
   * Read the next `idFilterChunk` keys of `event_ids` into the filter being built, in a read
   * transaction before the append takes the write lock (other writers go on meanwhile): an
   * append pays at most ~30 ms for it, not a scan of the whole index. The filter is ready once
   * a chunk comes back short. If another connection moves `event_ids_through` meanwhile, the
   * next append notices under the write lock and the build starts over.
   */
  const advanceFilter = (): void => {
    db.exec('BEGIN');
    try {
      const through = (q.idsThrough.get() as { value: number } | undefined)?.value ?? 0;
      if (!building || building.through !== through) building = { f: new IdFilter(), after: null, through };
      const b = building;
      const rows = (b.after === null
        ? q.indexedKeys.all(filterChunk)
        : q.indexedKeysAfter.all(b.after, filterChunk)) as unknown as (
        | [string | Uint8Array]
        | { event_id: string | Uint8Array }
      )[];
      for (const r of rows) {
        const key = Array.isArray(r) ? r[0] : r.event_id;
        b.f.add(eventIdOfKey(key));
        b.after = key;
      }
      db.exec('COMMIT');
      if (rows.length < filterChunk) {
        filter = b.f;
        filterThrough = b.through;
        building = undefined;
      }
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw new StoreUnavailableError(
        `SQLite append failed reading the event id index: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  };
  /**
   * Look up the given writes' ids in the index, in one query (two with non-UUID ids): the
   * positions of those it holds (usually none), whether every event carried its id (an id
   * assigned on append was not probed, and is looked up alone if it ever needs to be), and
   * whether they are all canonical UUIDs. With the filter, only the ids it cannot rule out
   * are looked up (the tail's are not in the index, so the filter rules them out too).
   */
  const probeIds = (
    writes: readonly StreamWrite[],
  ): { indexed: Map<string, number>; all: boolean; uuids: boolean } => {
    const uuids: string[] = [];
    const others: string[] = [];
    let all = true;
    let allUuids = true;
    for (const w of writes) {
      for (const e of w.events) {
        const id = (e.metadata as { eventId?: string }).eventId;
        if (typeof id !== 'string') {
          all = false;
          continue;
        }
        const uuid = isCanonicalUuid(id);
        if (!uuid) allUuids = false;
        if (filter && !filter.mayContain(id)) continue;
        (uuid ? uuids : others).push(id);
      }
    }
    if (!filter) probedWithoutFilter += uuids.length + others.length;
    const indexed = new Map<string, number>();
    // One JSON array parameter: cheaper to bind than one BLOB per id, and of any length.
    const probe = (st: StatementSync, ids: string[]) => {
      if (ids.length === 0) return;
      for (const r of st.all(JSON.stringify(ids)) as { i: number; position: number }[])
        indexed.set(ids[r.i]!, r.position);
    };
    probe(q.probeUuids, uuids);
    probe(q.probeTexts, others);
    return { indexed, all, uuids: all && allUuids };
  };

  /** Take the write lock (`BEGIN IMMEDIATE`), or say plainly that another process holds it. */
  function begin(): void {
    try {
      q.begin.run();
    } catch (e) {
      // busy_timeout (5 s) expired: another process holds the write lock.
      throw new StoreUnavailableError(
        `SQLite database ${options.path} is busy (another writer held it for more than 5 s); retry the append: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  /**
   * An `appendChunks` in progress holds one transaction on this connection across awaits:
   * every other call on this store waits for it to end (so nothing reads its events before
   * they commit, and no other append joins its transaction); calls made by its own chunk
   * source (the integrity and privacy layers reading heads and writing keys) go on.
   */
  let chunkTx: { readonly token: symbol; readonly done: Promise<void> } | null = null;
  /** Whether an `appendChunks` other than the caller's own holds the transaction. */
  const blocked = (): boolean => chunkTx !== null && chunkSource.getStore() !== chunkTx.token;
  /**
   * The end of the `appendChunks` in progress. Callers wait with `while (blocked()) await
   * gate();` so that the last check and their synchronous work run in one turn: several calls
   * woken by one commit resume one after the other, and an earlier one may have started
   * another `appendChunks` (a check in a turn of its own let the next call run inside it).
   */
  const gate = (): Promise<void> => chunkTx?.done ?? Promise.resolve();

  /**
   * Hold this store's one write transaction while `work` runs across awaits (`appendChunks`,
   * `transaction`): wait for the one in progress, take the gate, BEGIN, and COMMIT once `work`
   * resolves, or roll back if it (or the commit) throws. `appends`: `work` appends events, so
   * a rollback also makes the in-memory id tail and filter be read again from the file.
   */
  async function holdTransaction<T>(
    work: () => Promise<T>,
    appends: boolean,
    afterCommit?: (r: T) => void,
  ): Promise<T> {
    while (blocked()) await gate();
    // Only calls made inside the transaction get here while it is held: it cannot hold another.
    if (chunkTx !== null)
      throw new Error('appendChunks called inside a transaction of the same store (its chunk source)');
    const token = Symbol('transaction');
    let release!: () => void;
    chunkTx = { token, done: new Promise<void>((r) => (release = r)) };
    try {
      return await chunkSource.run(token, async () => {
        begin();
        try {
          const r = await work();
          q.commit.run();
          afterCommit?.(r);
          return r;
        } catch (e) {
          // A refused chunk (already rolled back by appendBatchSync), or the source's own error.
          if (db.isTransaction) db.exec('ROLLBACK');
          if (appends) {
            tailStale = true;
            // The filter (or the one being built) may count the rolled-back run as indexed: if
            // another connection's index then reaches the same position, it would be trusted.
            dropFilter();
          }
          throw e;
        }
      });
    } finally {
      chunkTx = null;
      release();
    }
  }

  function appendChunks(chunks: AsyncIterable<readonly StreamWrite[]>): Promise<ChunkedAppendResult> {
    return holdTransaction(
      async () => {
        let appended = 0;
        let events = 0;
        let last = 0;
        for await (const chunk of chunks) {
          if (chunk.length === 0) continue;
          const r = appendBatchSync(chunk, true);
          appended += r.appended;
          last = r.lastPosition;
          for (const w of chunk) events += w.events.length;
        }
        return { appended, events, lastPosition: appended > 0 ? last : headSync() };
      },
      true,
      (r) => {
        if (r.appended > 0) subs.notify();
      },
    );
  }

  /**
   * Append `writes` as one transaction — or, with `inChunk`, inside the transaction an
   * `appendChunks` holds (no BEGIN or COMMIT here; subscribers are told at its commit). The
   * in-memory tail and filter are updated as after a commit either way: if the chunks' transaction
   * rolls back, `syncTail` finds the index marker and head behind them and starts again from the
   * file.
   */
  function appendBatchSync(writes: readonly StreamWrite[], inChunk = false): BatchResult {
    const now = clock().toISOString();
    // Build the filter once looking ids up has cost about what reading the index costs (~1.5 µs
    // an id either way), a chunk per append.
    // (Not inside an appendChunks transaction: the build reads in a transaction of its own.)
    if (
      !inChunk &&
      useFilter &&
      !filter &&
      idsThrough >= 0 &&
      (building || probedWithoutFilter >= idsThrough)
    )
      advanceFilter();
    if (!inChunk) begin();
    try {
      type Lookup = Parameters<typeof planWrite>[3];
      // Which of this append's ids are stored already: the tail (in memory) and one probe of
      // the idempotency index for all the append's ids, instead of one query per event.
      const first = writes[0];
      const onlyEvent = writes.length === 1 && first!.events.length === 1 ? first!.events[0] : undefined;
      const onlyId = (onlyEvent?.metadata as { eventId?: string } | undefined)?.eventId;
      // Revisions as planned so far in this append, starting from the stored ones.
      const pending = new Map<string, number>();
      let pre: { through: number; head: number; indexed: number | null };
      if (writes.length === 1 || writes.every((w) => w.streamId === first!.streamId)) {
        const one = q.preflight.get(
          first?.streamId ?? '',
          typeof onlyId === 'string' ? sqliteEventKey(onlyId) : null,
        ) as { through: number; head: number; revision: number | null; indexed: number | null };
        if (first) pending.set(first.streamId, one.revision ?? -1);
        pre = one;
      } else {
        const streamIds = [...new Set(writes.map((w) => w.streamId))];
        const many = q.preflightMany.get(JSON.stringify(streamIds)) as {
          through: number;
          head: number;
          revisions: string;
        };
        const revisions = JSON.parse(many.revisions) as number[];
        for (let i = 0; i < streamIds.length; i++) pending.set(streamIds[i]!, revisions[i]!);
        pre = { through: many.through, head: many.head, indexed: null };
      }
      syncTail(pre);
      const probed =
        typeof onlyId === 'string'
          ? { indexed: new Map(pre.indexed === null ? [] : [[onlyId, pre.indexed]]), all: true, uuids: false }
          : probeIds(writes);
      const lookup: Lookup = (id) => {
        const position =
          tail.get(id) ??
          (probed.indexed.size > 0 ? probed.indexed.get(id) : undefined) ??
          (probed.all ? undefined : indexedPosition(id));
        if (position === undefined) return undefined;
        const r = q.byPosition.get(position) as Omit<Row, 'position' | 'revision'> | undefined;
        if (!r) return undefined; // the row was removed behind the store's back
        const metadata = JSON.parse(r.metadata) as { eventId?: string; occurredAt: string };
        if (metadata.eventId !== id) return undefined;
        const contentKey = () =>
          eventContentKey({ streamId: r.stream_id, type: r.type, data: JSON.parse(r.data), metadata });
        return { contentKey, position };
      };
      const planned: { w: StreamWrite; fresh: CompletedEvent[]; start: number }[] = [];
      // An id planned by an earlier write of this batch counts as stored.
      const inBatch = new Map<string, CompletedEvent>();
      const findInBatch: Lookup = (id) => {
        const e = inBatch.get(id);
        return e ? { contentKey: () => eventContentKey(e), position: 0 } : lookup(id);
      };
      for (const w of writes) {
        const plan = planWrite(w.streamId, w.events, now, findInBatch);
        for (const e of plan.fresh) inBatch.set(e.metadata.eventId, e);
        const current = pending.get(w.streamId)!;
        if (plan.fresh.length > 0 || plan.skipped === 0)
          checkExpectedRevision(w.streamId, w.expectedRevision, current);
        pending.set(w.streamId, current + plan.fresh.length);
        planned.push({ w, fresh: plan.fresh, start: current + 1 });
      }
      const results: AppendResult[] = [];
      const heads = new Map<string, number>();
      const positionsOf = insertEvents(planned, probed.uuids);
      let appended = 0;
      let last = 0;
      for (let i = 0; i < planned.length; i++) {
        const { w, fresh, start } = planned[i]!;
        const positions = positionsOf[i]!;
        const rev = start + fresh.length;
        if (fresh.length > 0) heads.set(w.streamId, rev - 1);
        if (positions.length > 0) last = positions[positions.length - 1]!;
        appended += fresh.length;
        results.push({
          streamId: w.streamId,
          nextExpectedRevision: rev - 1,
          appended: fresh.length,
          positions,
        });
      }
      if (heads.size > 0) upsertStreams(heads);
      // Once the tail is long enough, move its ids into the index in one sorted run.
      const run = Math.max(idIndexRun, Math.min(Math.floor(idsThrough / 8), ID_INDEX_RUN_MAX));
      const indexNow = last > 0 && last - idsThrough >= run;
      if (indexNow) {
        q.indexTail.run(idsThrough);
        q.setIdsThrough.run(last);
      }
      if (!inChunk) q.commit.run();
      // This process's view of the tail changes only once the commit has succeeded.
      if (indexNow) {
        // The run indexed the tail and this append's events: the filter (or the one being
        // built, whatever part of the index it has read) takes their ids.
        const f = filter ?? building?.f;
        if (f) {
          for (const id of tail.keys()) f.add(id);
          for (const { fresh } of planned) for (const e of fresh) f.add(e.metadata.eventId);
          if (filter) filterThrough = last;
          else building!.through = last;
        }
        tail.clear();
        idsThrough = last;
        tailSeen = last;
      } else if (last > 0) {
        for (let i = 0; i < planned.length; i++) {
          const fresh = planned[i]!.fresh;
          const positions = positionsOf[i]!;
          for (let j = 0; j < fresh.length; j++) tail.set(fresh[j]!.metadata.eventId, positions[j]!);
        }
        tailSeen = last;
      }
      if (appended > 0 && !inChunk) subs.notify();
      return { streams: results, appended, lastPosition: last > 0 ? last : headSync() };
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      if (e instanceof LedgerError) throw e;
      throw new StoreUnavailableError(`SQLite append failed: ${(e as Error).message}`, { cause: e });
    }
  }

  return {
    kind: 'sqlite',
    db,
    async append(
      streamId: string,
      events: readonly NewEvent[],
      opts: { expectedRevision?: ExpectedRevision } = {},
    ) {
      while (blocked()) await gate();
      return appendBatchSync([
        {
          streamId,
          events,
          ...(opts.expectedRevision !== undefined ? { expectedRevision: opts.expectedRevision } : {}),
        },
      ]).streams[0]!;
    },
    async appendBatch(writes: readonly StreamWrite[]) {
      while (blocked()) await gate();
      return appendBatchSync(writes);
    },
    appendChunks,
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      // Inside the transaction already (a chunk source sealing its chunk's keys).
      if (chunkTx !== null && !blocked()) return fn();
      return holdTransaction(fn, false);
    },
    async readStream(streamId: string, opts: ReadStreamOptions = {}) {
      while (blocked()) await gate();
      return readRows(q.readStream, arrays, streamId, opts.fromRevision ?? 0, opts.maxCount ?? -1);
    },
    async streamRevision(streamId: string) {
      while (blocked()) await gate();
      return revisionOf(streamId);
    },
    async readAll(opts?: ReadAllOptions) {
      while (blocked()) await gate();
      return readAllSync(opts);
    },
    async headPosition() {
      while (blocked()) await gate();
      return headSync();
    },
    subscribe(opts: SubscribeOptions): Subscription {
      const s = subs.add(opts);
      // Other processes may append to the same file: poll the head while anyone listens.
      subs.pollHead(options.pollIntervalMs ?? 250);
      return s;
    },
    async getCheckpoint(name: string) {
      while (blocked()) await gate();
      const r = q.getCheckpoint.get(name) as { position: number } | undefined;
      return r ? r.position : null;
    },
    async setCheckpoint(name: string, position: number) {
      while (blocked()) await gate();
      q.setCheckpoint.run(name, position, clock().toISOString());
    },
    async loadProjection(name: string, version: string): Promise<StoredProjection | null> {
      while (blocked()) await gate();
      const r = q.loadProjection.get(name, version) as { position: number; state: string } | undefined;
      return r ? { position: r.position, state: r.state } : null;
    },
    async loadProjections(names: readonly string[], version: string) {
      while (blocked()) await gate();
      const out = new Map<string, StoredProjection>();
      const rows = q.loadProjections.all(version, JSON.stringify(names)) as {
        name: string;
        position: number;
        state: string;
      }[];
      for (const r of rows) out.set(r.name, { position: r.position, state: r.state });
      return out;
    },
    async loadProjectionsByPrefix(prefix: string, version: string) {
      while (blocked()) await gate();
      const out = new Map<string, StoredProjection>();
      const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
      for (const r of q.loadProjectionsByPrefix.all(version, prefix, end) as {
        name: string;
        position: number;
        state: string;
      }[])
        if (r.name.startsWith(prefix)) out.set(r.name, { position: r.position, state: r.state });
      return out;
    },
    async saveProjection(name: string, version: string, position: number, state: string) {
      while (blocked()) await gate();
      // One row, one statement: a crash keeps the state and its position together or neither.
      q.saveProjection.run(name, version, position, state, clock().toISOString());
    },
    async activeVersion(name: string) {
      while (blocked()) await gate();
      const r = q.activeVersion.get(name) as { version: string } | undefined;
      return r ? r.version : null;
    },
    async activateVersion(name: string, version: string) {
      while (blocked()) await gate();
      q.activateVersion.run(name, version);
    },
    async dropProjectionVersion(name: string, version: string) {
      while (blocked()) await gate();
      q.dropProjection.run(name, version);
    },
    async close() {
      await subs.closeAll();
      // Closed in the same turn as the check: an append of chunks cannot start in between.
      while (blocked()) await gate();
      if (db.isOpen) db.close();
    },
  };
}

/** The `appendChunks` whose chunk source is running (the integrity and privacy layers' calls). */
const chunkSource = new AsyncLocalStorage<symbol>();

function migrate(db: DatabaseSync, path: string): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version > SCHEMA_VERSION) {
    throw new StoreUnavailableError(
      `${path} has schema version ${version}, newer than this library's ${SCHEMA_VERSION}; upgrade @referral-ledger/adapters`,
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new StoreUnavailableError(`cannot migrate ${path} to schema ${v + 1}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}
