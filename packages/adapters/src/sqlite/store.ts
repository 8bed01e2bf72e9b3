import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  upcastStored,
  type AppendResult,
  type BatchResult,
  type CheckpointStore,
  ConcurrencyError,
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
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';

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
}

/** The SQLite store: an event store with checkpoints and projection snapshots in the same file. */
export type SQLiteEventStore = EventStore &
  CheckpointStore &
  ProjectionStateStore & { readonly db: DatabaseSync };

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

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The stored idempotency key of an event id (schema 4): a canonical lowercase UUID as its 16
 * bytes, any other id as its text. A BLOB never equals a TEXT, so the two cannot collide.
 */
export function sqliteEventKey(eventId: string): string | Uint8Array {
  return CANONICAL_UUID.test(eventId) ? Buffer.from(eventId.replaceAll('-', ''), 'hex') : eventId;
}

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
    head: db.prepare('SELECT coalesce(max(position), 0) AS p FROM events'),
    streamRev: db.prepare('SELECT revision FROM streams WHERE stream_id = ?'),
    byId: db.prepare('SELECT position, stream_id, type, data, metadata FROM events WHERE event_id = ?'),
    upsertStream: db.prepare(
      'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
    ),
    readStream: db.prepare(
      'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    readAll: db.prepare(
      'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
    ),
    getCheckpoint: db.prepare('SELECT position FROM checkpoints WHERE name = ?'),
    setCheckpoint: db.prepare(
      'INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    ),
    loadProjection: db.prepare('SELECT position, state FROM projections WHERE name = ? AND version = ?'),
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
    for (const st of [q.readAll, q.readStream]) (st as typeof statement).setReturnArrays!(true);
  }

  // One multi-row INSERT per chunk of up to INSERT_CHUNK events, prepared once per row count:
  // one statement call per write instead of one per event.
  const insertMany = new Map<number, StatementSync>();
  const insertStatement = (rows: number): StatementSync => {
    let st = insertMany.get(rows);
    if (!st) {
      st = db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      insertMany.set(rows, st);
    }
    return st;
  };
  /** Insert a write's fresh events from revision `start`; returns their positions (rowids). */
  const insertEvents = (streamId: string, fresh: readonly CompletedEvent[], start: number): number[] => {
    const positions: number[] = [];
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const n = Math.min(INSERT_CHUNK, fresh.length - i);
      const params: (string | number | Uint8Array)[] = new Array(n * 6);
      for (let j = 0; j < n; j++) {
        const e = fresh[i + j]!;
        const k = j * 6;
        params[k] = streamId;
        params[k + 1] = start + i + j;
        params[k + 2] = sqliteEventKey(e.metadata.eventId);
        params[k + 3] = e.type;
        params[k + 4] = JSON.stringify(e.data);
        params[k + 5] = JSON.stringify(e.metadata);
      }
      // Rows of one INSERT take consecutive rowids (max + 1 each) while we hold the write lock.
      const last = Number(insertStatement(n).run(...params).lastInsertRowid);
      for (let j = n - 1; j >= 0; j--) positions.push(last - j);
    }
    return positions;
  };

  const revisionOf = (streamId: string): number => {
    const r = q.streamRev.get(streamId) as { revision: number } | undefined;
    return r ? r.revision : -1;
  };
  const readAllSync = (opts: ReadAllOptions = {}): RecordedEvent[] =>
    readRows(q.readAll, arrays, opts.after ?? 0, opts.limit ?? -1);
  const headSync = (): number => (q.head.get() as { p: number }).p;

  const subs = new Subscriptions(
    async (after, limit) => readAllSync({ after, limit }),
    async () => headSync(),
  );

  function appendBatchSync(writes: readonly StreamWrite[]): BatchResult {
    const now = clock().toISOString();
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      // busy_timeout (5 s) expired: another process holds the write lock.
      throw new StoreUnavailableError(
        `SQLite database ${options.path} is busy (another writer held it for more than 5 s); retry the append: ${(e as Error).message}`,
        { cause: e },
      );
    }
    type Lookup = Parameters<typeof planWrite>[3];
    const lookup: Lookup = (id) => {
      const r = q.byId.get(sqliteEventKey(id)) as Omit<Row, 'revision' | 'event_id'> | undefined;
      if (!r) return undefined;
      const contentKey = () =>
        eventContentKey({
          streamId: r.stream_id,
          type: r.type,
          data: JSON.parse(r.data),
          metadata: JSON.parse(r.metadata),
        });
      return { contentKey, position: r.position };
    };
    // The highest position inserted by this append (0: none), which is then the log's head.
    let last = 0;
    const writeAll = (find: Lookup): { results: AppendResult[]; appended: number } => {
      const pending = new Map<string, number>();
      const planned: { w: StreamWrite; fresh: CompletedEvent[]; start: number }[] = [];
      // An id planned by an earlier write of this batch counts as stored.
      const inBatch = new Map<string, CompletedEvent>();
      const findInBatch: Lookup = (id) => {
        const e = inBatch.get(id);
        return e ? { contentKey: () => eventContentKey(e), position: 0 } : find(id);
      };
      for (const w of writes) {
        const plan = planWrite(w.streamId, w.events, now, findInBatch);
        for (const e of plan.fresh) inBatch.set(e.metadata.eventId, e);
        const current = pending.get(w.streamId) ?? revisionOf(w.streamId);
        if (plan.fresh.length > 0 || plan.skipped === 0)
          checkExpectedRevision(w.streamId, w.expectedRevision, current);
        pending.set(w.streamId, current + plan.fresh.length);
        planned.push({ w, fresh: plan.fresh, start: current + 1 });
      }
      const results: AppendResult[] = [];
      let appended = 0;
      last = 0;
      for (const { w, fresh, start } of planned) {
        const positions = fresh.length > 0 ? insertEvents(w.streamId, fresh, start) : [];
        const rev = start + fresh.length;
        if (fresh.length > 0) q.upsertStream.run(w.streamId, rev - 1);
        if (positions.length > 0) last = positions[positions.length - 1]!;
        appended += fresh.length;
        results.push({
          streamId: w.streamId,
          nextExpectedRevision: rev - 1,
          appended: fresh.length,
          positions,
        });
      }
      return { results, appended };
    };
    try {
      // Fast path: assume every id is new and let UNIQUE (event_id) say otherwise. A retry
      // (an id already stored) or a failed revision check (which a retry may explain) rolls
      // back to the savepoint and takes the exact path, which looks every id up first.
      let out: { results: AppendResult[]; appended: number };
      db.exec('SAVEPOINT fast');
      try {
        out = writeAll(() => undefined);
        db.exec('RELEASE fast');
      } catch (e) {
        const retry =
          e instanceof ConcurrencyError ||
          ((e as { code?: string }).code === 'ERR_SQLITE_ERROR' &&
            /UNIQUE constraint failed: events\.event_id/.test((e as Error).message));
        if (!retry) throw e;
        db.exec('ROLLBACK TO fast');
        db.exec('RELEASE fast');
        out = writeAll(lookup);
      }
      db.exec('COMMIT');
      if (out.appended > 0) subs.notify();
      return { streams: out.results, appended: out.appended, lastPosition: last > 0 ? last : headSync() };
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
      return appendBatchSync([
        {
          streamId,
          events,
          ...(opts.expectedRevision !== undefined ? { expectedRevision: opts.expectedRevision } : {}),
        },
      ]).streams[0]!;
    },
    async appendBatch(writes: readonly StreamWrite[]) {
      return appendBatchSync(writes);
    },
    async readStream(streamId: string, opts: ReadStreamOptions = {}) {
      return readRows(q.readStream, arrays, streamId, opts.fromRevision ?? 0, opts.maxCount ?? -1);
    },
    async streamRevision(streamId: string) {
      return revisionOf(streamId);
    },
    async readAll(opts?: ReadAllOptions) {
      return readAllSync(opts);
    },
    async headPosition() {
      return headSync();
    },
    subscribe(opts: SubscribeOptions): Subscription {
      const s = subs.add(opts);
      // Other processes may append to the same file: poll the head while anyone listens.
      subs.pollHead(options.pollIntervalMs ?? 250);
      return s;
    },
    async getCheckpoint(name: string) {
      const r = q.getCheckpoint.get(name) as { position: number } | undefined;
      return r ? r.position : null;
    },
    async setCheckpoint(name: string, position: number) {
      q.setCheckpoint.run(name, position, clock().toISOString());
    },
    async loadProjection(name: string, version: string): Promise<StoredProjection | null> {
      const r = q.loadProjection.get(name, version) as { position: number; state: string } | undefined;
      return r ? { position: r.position, state: r.state } : null;
    },
    async saveProjection(name: string, version: string, position: number, state: string) {
      // One row, one statement: a crash keeps the state and its position together or neither.
      q.saveProjection.run(name, version, position, state, clock().toISOString());
    },
    async activeVersion(name: string) {
      const r = q.activeVersion.get(name) as { version: string } | undefined;
      return r ? r.version : null;
    },
    async activateVersion(name: string, version: string) {
      q.activateVersion.run(name, version);
    },
    async dropProjectionVersion(name: string, version: string) {
      q.dropProjection.run(name, version);
    },
    async close() {
      await subs.closeAll();
      if (db.isOpen) db.close();
    },
  };
}

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
