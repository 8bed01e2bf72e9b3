import {
  upcastStored,
  type AppendResult,
  type BatchResult,
  type CheckpointStore,
  type ChunkedAppendResult,
  ConcurrencyError,
  checkExpectedRevision,
  completeMetadata,
  type CompletedEvent,
  EventIdConflictError,
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
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, PoolConfig, QueryConfig } from 'pg';
import type { ProjectionStateStore, StoredProjection } from '../runner/types.ts';
import { int4Array, int8Array, PgOid, stringArray } from './binary-arrays.ts';
import { migrations, quoteIdent } from './schema.ts';

export interface PostgreSQLEventStoreOptions {
  /** A `postgres://` URL; the store creates (and on `close()` ends) its own pool. */
  readonly connectionString?: string;
  /** Or a pool you own (the store never ends it). */
  readonly pool?: Pool;
  /** Schema holding the ledger's tables (created if missing); default `referral_ledger`. */
  readonly schema?: string;
  /** Clock for `recordedAt` of events appended without one. */
  readonly clock?: () => Date;
  /** Subscribers re-read the head this often (ms) in case a NOTIFY was missed; default 1000. */
  readonly pollIntervalMs?: number;
  /** Extra pool settings when the store creates the pool (`max`, timeouts, ssl ...). */
  readonly poolConfig?: PoolConfig;
  /**
   * Send the append as a named prepared statement, parsed and planned once per connection
   * (default true). Set false behind a pooler that cannot keep prepared statements across
   * transactions (PgBouncer in transaction mode before 1.21): the call is then parsed and
   * planned on every append (the function's own statements stay cached per connection).
   */
  readonly preparedStatements?: boolean;
  /** Test hook: runs inside each writing transaction just before COMMIT (to hold one open). */
  readonly beforeCommit?: () => Promise<void>;
}

/** The PostgreSQL store: an event store with checkpoints and projection snapshots. */
export type PostgreSQLEventStore = EventStore &
  CheckpointStore &
  ProjectionStateStore & {
    readonly pool: Pool;
    readonly schema: string;
    /** Drop the whole schema (tests, throw-away ledgers); the store is closed afterwards. */
    dropSchema(): Promise<void>;
  };

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

function toEvent(r: EventRow): RecordedEvent {
  return upcastStored({
    streamId: r.stream_id,
    type: r.type,
    data: r.data,
    metadata: r.metadata,
    revision: Number(r.revision),
    position: Number(r.position),
  } as RecordedEvent);
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '3D000', // database does not exist
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
]);

/**
 * Translate a driver error into the ledger's error hierarchy (STYLE 9): our own errors pass
 * through; a unique violation on `(stream_id, revision)` is a lost race (`ConcurrencyError`),
 * on `event_id` an id reused by a concurrent writer; connection trouble and everything else
 * the caller can only retry become `StoreUnavailableError`, with the driver error as `cause`.
 */
export function translatePgError(e: unknown, what: string): Error {
  if (e instanceof LedgerError) return e;
  const err = e as { code?: string; constraint?: string; message?: string; detail?: string };
  if (err.code === '23505') {
    if (err.constraint?.includes('stream_id_revision')) {
      return new ConcurrencyError(
        String(err.detail ?? 'a stream'),
        'the revision it read',
        'a later revision',
      );
    }
    if (err.constraint?.includes('event_id')) {
      return new EventIdConflictError(
        /\(event_id\)=\(([^)]*)\)/.exec(err.detail ?? '')?.[1] ?? 'unknown',
        'written concurrently by another append',
      );
    }
  }
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) {
    return new StoreUnavailableError(`PostgreSQL is unavailable during ${what}: ${msg}`, { cause: e });
  }
  return new StoreUnavailableError(`PostgreSQL ${what} failed (${code || 'no code'}): ${msg}`, { cause: e });
}

/**
 * A refusal of `append_events` that the exact path answers: a unique violation on `event_id`
 * (an id of the append is already stored: a retry, or a conflict) or a failed expected
 * revision (`RL409`, raised by the function). Either way the statement wrote nothing.
 */
function isExactPathRefusal(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string };
  return err.code === 'RL409' || (err.code === '23505' && (err.constraint?.includes('event_id') ?? false));
}

/**
 * An event store in PostgreSQL (`pg` is a peer dependency, loaded when this is called).
 *
 * - Expected revisions are enforced inside the append transaction, backed by a
 *   `UNIQUE (stream_id, revision)` constraint; idempotency by the unique `event_id`.
 * - Appends lock the single `log_head` row before assigning global positions and hold the
 *   lock until commit: transactions therefore commit in position order, and a reader never
 *   skips an event committed late (the cost: one appending transaction at a time; batch
 *   appends to amortise it). `appendBatch` across streams is one transaction.
 * - Subscriptions wake on `LISTEN/NOTIFY` and poll the head as a fallback.
 *
 * @example
 * const store = await getPostgreSQLEventStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
 * await store.append('partner-P-1', [event], { expectedRevision: 'no-stream' });
 */
/** An error thrown by the chunks given to `appendChunks`: rethrown as it is after the rollback. */
class SourceFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

export async function getPostgreSQLEventStore(
  options: PostgreSQLEventStoreOptions,
): Promise<PostgreSQLEventStore> {
  const clock = options.clock ?? (() => new Date());
  const schemaName = options.schema ?? 'referral_ledger';
  const s = quoteIdent(schemaName);
  const channel = `rl_${schemaName}`.slice(0, 63);
  let pool: Pool;
  const ownsPool = options.pool === undefined;
  if (options.pool) {
    pool = options.pool;
  } else {
    if (!options.connectionString) {
      throw new StoreUnavailableError('getPostgreSQLEventStore needs a connectionString or a pool');
    }
    let pg: typeof import('pg');
    try {
      pg = (await import('pg')).default as unknown as typeof import('pg');
    } catch (e) {
      throw new StoreUnavailableError('the PostgreSQL store needs the `pg` package: pnpm add pg', {
        cause: e,
      });
    }
    pool = new pg.Pool({ connectionString: options.connectionString, max: 10, ...options.poolConfig });
  }
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});

  await migrate(pool, schemaName);

  const sql = {
    // One round trip: open the transaction and take the writer lock.
    beginLocked: `BEGIN; SELECT position FROM ${s}.log_head FOR UPDATE`,
    // One round trip: events already stored under these ids, and the streams' revisions.
    lookup: `SELECT
        (SELECT coalesce(json_agg(json_build_array(event_id, position, stream_id, type, data, metadata)), '[]')
           FROM ${s}.events WHERE event_id = ANY($1::text[])) AS found,
        (SELECT coalesce(json_agg(json_build_array(stream_id, revision)), '[]')
           FROM ${s}.streams WHERE stream_id = ANY($2::text[])) AS revs`,
    write: `WITH ins AS (
        INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::json[])
      ), st AS (
        INSERT INTO ${s}.streams (stream_id, revision)
        SELECT * FROM unnest($8::text[], $9::bigint[])
        ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision
      ), h AS (
        UPDATE ${s}.log_head SET position = $10 RETURNING position
      )
      SELECT pg_notify($11, position::text) FROM h`,
    readAll: `SELECT position, stream_id, revision, type, data, metadata FROM ${s}.events WHERE position > $1 ORDER BY position LIMIT $2`,
    readStream: `SELECT position, stream_id, revision, type, data, metadata FROM ${s}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
    streamRev: `SELECT revision FROM ${s}.streams WHERE stream_id = $1`,
    head: `SELECT position FROM ${s}.log_head`,
    appendEvents: `SELECT ${s}.append_events($1::text[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::json[], $9::json[], $10) AS r`,
  };

  // The append is a named (prepared) statement: each pooled connection parses and plans it
  // once, later calls only bind and execute. The name is per schema, as its text is.
  const appendName = `rl_append_${createHash('sha256').update(schemaName).digest('hex').slice(0, 24)}`;
  const prepared = options.preparedStatements ?? true;
  const appendQuery = (values: unknown[]): QueryConfig =>
    prepared ? { name: appendName, text: sql.appendEvents, values } : { text: sql.appendEvents, values };

  /**
   * The transaction an `appendChunks` holds, for the queries of its chunk source (the
   * integrity layer's heads, the privacy layer's keys): through the pool they needed a second
   * connection while the writer lock was held, and waited forever once appends queued behind
   * that lock held the others (or the pool had one). They also see the chunks appended so
   * far, as on SQLite, and the keys they write commit or roll back with the events.
   */
  const sourceTx = new AsyncLocalStorage<PoolClient>();

  async function query<R>(text: string, values: unknown[], what: string): Promise<R[]> {
    try {
      return (await (sourceTx.getStore() ?? pool).query(text, values)).rows as R[];
    } catch (e) {
      throw translatePgError(e, what);
    }
  }

  const readAll = async (opts: ReadAllOptions = {}): Promise<RecordedEvent[]> =>
    (await query<EventRow>(sql.readAll, [opts.after ?? 0, opts.limit ?? null], 'readAll')).map(toEvent);
  const head = async (): Promise<number> =>
    Number((await query<{ position: string }>(sql.head, [], 'headPosition'))[0]?.position ?? 0);

  const subs = new Subscriptions(async (after, limit) => readAll({ after, limit }), head);
  let listener: PoolClient | null = null;
  let listening: Promise<void> | null = null;
  let closed = false;

  function startFollowing(): void {
    if (!listening) {
      listening = (async () => {
        try {
          const c = await pool.connect();
          if (closed) {
            c.release();
            return;
          }
          c.on('notification', () => subs.notify());
          c.on('error', () => {
            // The poller keeps subscribers going; the next subscribe re-listens. A client
            // whose connection failed is destroyed, not returned to the pool.
            if (listener === c) listener = null;
            listening = null;
            try {
              c.release(true);
            } catch {
              // already released
            }
          });
          await c.query(`LISTEN ${quoteIdent(channel)}`);
          listener = c;
        } catch {
          listening = null;
        }
      })();
    }
    // LISTEN/NOTIFY wakes subscribers at once; the poll is the fallback when it is down.
    subs.pollHead(options.pollIntervalMs ?? 1000);
  }

  /**
   * Plan a batch assuming no id is stored yet (ids repeated inside the batch are still
   * skipped or refused). Undefined when planning alone cannot decide (a repeated id with other
   * content, an odd expected revision): the exact path then answers.
   */
  function planFast(writes: readonly StreamWrite[], now: string) {
    const inBatch = new Map<string, CompletedEvent>();
    const find = (id: string) => {
      const e = inBatch.get(id);
      return e ? { contentKey: () => eventContentKey(e), position: 0 } : undefined;
    };
    const streams: string[] = [];
    const expected: number[] = [];
    const counts: number[] = [];
    const evWrite: number[] = [];
    const evOffset: number[] = [];
    const ids: string[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const fresh: CompletedEvent[][] = [];
    for (const [i, w] of writes.entries()) {
      let plan: ReturnType<typeof planWrite>;
      try {
        plan = planWrite(w.streamId, w.events, now, find);
      } catch (e) {
        if (e instanceof EventIdConflictError) return undefined;
        throw e;
      }
      for (const e of plan.fresh) inBatch.set(e.metadata.eventId, e);
      const x = plan.fresh.length > 0 || plan.skipped === 0 ? w.expectedRevision : 'any';
      const code =
        x === undefined || x === 'any' ? -2 : x === 'no-stream' ? -1 : x === 'stream-exists' ? -3 : x;
      if (code < -3 || !Number.isSafeInteger(code) || (code < 0 && typeof x === 'number')) return undefined;
      streams.push(w.streamId);
      expected.push(code);
      counts.push(plan.fresh.length);
      fresh.push(plan.fresh);
      for (const [j, e] of plan.fresh.entries()) {
        evWrite.push(i + 1);
        evOffset.push(j);
        ids.push(e.metadata.eventId);
        types.push(e.type);
        data.push(JSON.stringify(e.data));
        metadata.push(JSON.stringify(e.metadata));
      }
    }
    // Binary arrays (see binary-arrays.ts): no escaping here, no array_in on the server.
    const params = [
      stringArray(PgOid.text, streams),
      int8Array(expected),
      int4Array(counts),
      int4Array(evWrite),
      int4Array(evOffset),
      stringArray(PgOid.text, ids),
      stringArray(PgOid.text, types),
      stringArray(PgOid.json, data),
      stringArray(PgOid.json, metadata),
      channel,
    ];
    return { params, fresh, streams };
  }

  /**
   * One round trip: `append_events` locks the head, checks ids and revisions and writes, in
   * the statement's own transaction (or inside BEGIN ... COMMIT when a `beforeCommit` hook
   * must run before the commit). Null when the exact path must answer; nothing was written.
   */
  /** A pooled connection for an append (a failure to connect as the ledger's error). */
  async function connectForAppend(): Promise<PoolClient> {
    try {
      return await pool.connect();
    } catch (e) {
      throw translatePgError(e, 'append');
    }
  }

  async function appendFast(writes: readonly StreamWrite[], now: string): Promise<BatchResult | null> {
    const plan = planFast(writes, now);
    if (!plan || plan.fresh.every((f) => f.length === 0)) return null;
    let out: string[] | null;
    if (options.beforeCommit) {
      const client = await connectForAppend();
      let broken = false;
      try {
        await client.query('BEGIN');
        out = (await client.query<{ r: string[] | null }>(appendQuery(plan.params))).rows[0]!.r;
        if (out) await options.beforeCommit();
        await client.query(out ? 'COMMIT' : 'ROLLBACK');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (isExactPathRefusal(e)) return null;
        throw translatePgError(e, 'append');
      } finally {
        client.release(broken);
      }
    } else {
      try {
        out = (await pool.query<{ r: string[] | null }>(appendQuery(plan.params))).rows[0]!.r;
      } catch (e) {
        // An id already stored or a failed revision: the statement (its own transaction)
        // rolled back entirely.
        if (isExactPathRefusal(e)) return null;
        throw translatePgError(e, 'append');
      }
    }
    if (!out) return null;
    let position = Number(out[0]);
    const results: AppendResult[] = plan.fresh.map((f, i) => {
      const start = Number(out[i + 1]);
      const positions = f.map(() => ++position);
      return {
        streamId: plan.streams[i]!,
        nextExpectedRevision: start + f.length - 1,
        appended: f.length,
        positions,
      };
    });
    subs.notify();
    return { streams: results, appended: position - Number(out[0]), lastPosition: position };
  }

  /**
   * The exact path inside a transaction that holds the writer lock (`beginLocked`), `position`
   * being the log's head: looks up the writes' ids and streams in one query, plans and checks
   * every write, and writes the fresh events in one statement. Ids written by an earlier call
   * in the same transaction are found by the lookup (a later write reusing one is skipped or
   * refused, as within one batch).
   */
  async function writeLocked(
    client: PoolClient,
    writes: readonly StreamWrite[],
    now: string,
    position: number,
  ): Promise<BatchResult> {
    // Ids first (derived ids cost a hash), so existing ones are fetched in one query.
    const ids = writes.flatMap((w) => w.events.map((e) => completeMetadata(e, now).metadata.eventId));
    const streamIds = [...new Set(writes.map((w) => w.streamId))];
    const looked = await client.query<{
      found: [string, number, string, string, unknown, unknown][];
      revs: [string, number][];
    }>(sql.lookup, [ids, streamIds]);
    const existing = new Map<string, { contentKey: string | (() => string); position: number }>();
    for (const [id, pos, streamId, type, data, metadata] of looked.rows[0]!.found) {
      // Recomputed only for ids that come again (retries), never stored.
      const contentKey = () =>
        eventContentKey({ streamId, type, data, metadata: metadata as { occurredAt: string } });
      existing.set(id, { contentKey, position: Number(pos) });
    }
    const current = new Map(looked.rows[0]!.revs.map(([id, rev]) => [id, Number(rev)]));
    const planned: { w: StreamWrite; fresh: CompletedEvent[]; start: number }[] = [];
    for (const w of writes) {
      const plan = planWrite(w.streamId, w.events, now, (id) => existing.get(id));
      const rev = current.get(w.streamId) ?? -1;
      if (plan.fresh.length > 0 || plan.skipped === 0)
        checkExpectedRevision(w.streamId, w.expectedRevision, rev);
      current.set(w.streamId, rev + plan.fresh.length);
      // A later write of this batch reusing an id is then skipped (same content) or refused.
      for (const e of plan.fresh)
        existing.set(e.metadata.eventId, { contentKey: () => eventContentKey(e), position: 0 });
      planned.push({ w, fresh: plan.fresh, start: rev + 1 });
    }
    const cols: unknown[][] = [[], [], [], [], [], [], []];
    const results: AppendResult[] = [];
    let appended = 0;
    for (const { w, fresh, start } of planned) {
      const positions: number[] = [];
      let rev = start;
      for (const e of fresh) {
        position += 1;
        cols[0]!.push(position);
        cols[1]!.push(w.streamId);
        cols[2]!.push(rev);
        cols[3]!.push(e.metadata.eventId);
        cols[4]!.push(e.type);
        cols[5]!.push(JSON.stringify(e.data));
        cols[6]!.push(JSON.stringify(e.metadata));
        positions.push(position);
        rev += 1;
      }
      appended += fresh.length;
      results.push({
        streamId: w.streamId,
        nextExpectedRevision: rev - 1,
        appended: fresh.length,
        positions,
      });
    }
    if (appended > 0) {
      const touched = [...current].filter(([id]) =>
        planned.some((p) => p.w.streamId === id && p.fresh.length),
      );
      await client.query(sql.write, [
        ...cols,
        touched.map(([id]) => id),
        touched.map(([, r]) => r),
        position,
        channel,
      ]);
    }
    return { streams: results, appended, lastPosition: position };
  }

  /**
   * Run `work` in a transaction holding the writer lock; commits when it appended something
   * (after `beforeCommit`), else rolls back. A refusal or failure rolls everything back.
   */
  async function inLockedTransaction<R extends { appended: number }>(
    work: (client: PoolClient, position: number) => Promise<R>,
  ): Promise<R> {
    const client = await connectForAppend();
    let broken = false;
    try {
      const locked = (await client.query(sql.beginLocked)) as unknown as { rows: { position: string }[] }[];
      const r = await work(client, Number(locked[1]!.rows[0]!.position));
      if (r.appended > 0) await options.beforeCommit?.();
      await client.query(r.appended > 0 ? 'COMMIT' : 'ROLLBACK');
      if (r.appended > 0) subs.notify();
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (e instanceof SourceFailure) throw e.error;
      if (e instanceof LedgerError) throw e;
      throw translatePgError(e, 'append');
    } finally {
      // A client whose ROLLBACK failed has a dead connection: destroy it rather than pool it.
      client.release(broken);
    }
  }

  async function appendBatchTx(writes: readonly StreamWrite[]): Promise<BatchResult> {
    const now = clock().toISOString();
    const fast = await appendFast(writes, now);
    if (fast) return fast;
    return inLockedTransaction((client, position) => writeLocked(client, writes, now, position));
  }

  /**
   * `appendChunks`: every chunk written by the exact path in one transaction that holds the
   * writer lock from the first chunk to the commit, so the import is all or nothing and
   * other writers wait for it.
   */
  async function appendChunks(chunks: AsyncIterable<readonly StreamWrite[]>): Promise<ChunkedAppendResult> {
    const now = clock().toISOString();
    const source = chunks[Symbol.asyncIterator]();
    let done = false;
    try {
      return await inLockedTransaction(appendSource);
    } finally {
      // A refused chunk leaves the caller's iterator open (its file): close it.
      if (!done) await source.return?.(undefined).catch(() => {});
    }
    async function appendSource(client: PoolClient, head: number): Promise<ChunkedAppendResult> {
      let position = head;
      let appended = 0;
      let events = 0;
      for (;;) {
        let next: IteratorResult<readonly StreamWrite[]>;
        try {
          // Its reads and writes of this store go through this transaction (`sourceTx`).
          next = await sourceTx.run(client, () => source.next());
        } catch (e) {
          done = true;
          // The caller's error (a bad line, a file that changed), not the database's.
          throw new SourceFailure(e);
        }
        if (next.done) {
          done = true;
          break;
        }
        const chunk = next.value;
        if (chunk.length === 0) continue;
        const r = await writeLocked(client, chunk, now, position);
        position = r.lastPosition;
        appended += r.appended;
        for (const w of chunk) events += w.events.length;
      }
      return { appended, events, lastPosition: position };
    }
  }

  const store: PostgreSQLEventStore = {
    kind: 'postgres',
    pool,
    schema: schemaName,
    async append(
      streamId: string,
      events: readonly NewEvent[],
      opts: { expectedRevision?: ExpectedRevision } = {},
    ) {
      const r = await appendBatchTx([
        {
          streamId,
          events,
          ...(opts.expectedRevision !== undefined ? { expectedRevision: opts.expectedRevision } : {}),
        },
      ]);
      return r.streams[0]!;
    },
    appendBatch: appendBatchTx,
    appendChunks,
    async readStream(streamId: string, opts: ReadStreamOptions = {}) {
      return (
        await query<EventRow>(
          sql.readStream,
          [streamId, opts.fromRevision ?? 0, opts.maxCount ?? null],
          'readStream',
        )
      ).map(toEvent);
    },
    async streamRevision(streamId: string) {
      const rows = await query<{ revision: string }>(sql.streamRev, [streamId], 'streamRevision');
      return rows[0] ? Number(rows[0].revision) : -1;
    },
    readAll,
    headPosition: head,
    subscribe(opts: SubscribeOptions): Subscription {
      const sub = subs.add(opts);
      startFollowing();
      return sub;
    },
    async getCheckpoint(name: string) {
      const rows = await query<{ position: string }>(
        `SELECT position FROM ${s}.checkpoints WHERE name = $1`,
        [name],
        'getCheckpoint',
      );
      return rows[0] ? Number(rows[0].position) : null;
    },
    async setCheckpoint(name: string, position: number) {
      await query(
        `INSERT INTO ${s}.checkpoints (name, position, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
        [name, position],
        'setCheckpoint',
      );
    },
    async loadProjection(name: string, version: string): Promise<StoredProjection | null> {
      const rows = await query<{ position: string; state: string }>(
        `SELECT position, state FROM ${s}.projections WHERE name = $1 AND version = $2`,
        [name, version],
        'loadProjection',
      );
      return rows[0] ? { position: Number(rows[0].position), state: rows[0].state } : null;
    },
    async loadProjections(names: readonly string[], version: string) {
      const out = new Map<string, StoredProjection>();
      if (names.length === 0) return out;
      const rows = await query<{ name: string; position: string; state: string }>(
        `SELECT name, position, state FROM ${s}.projections WHERE version = $1 AND name = ANY($2::text[])`,
        [version, names],
        'loadProjections',
      );
      for (const r of rows) out.set(r.name, { position: Number(r.position), state: r.state });
      return out;
    },
    async loadProjectionsByPrefix(prefix: string, version: string) {
      const out = new Map<string, StoredProjection>();
      // `starts_with`, not LIKE (the prefix is taken literally) nor a range on the name (which
      // the database's collation orders, not the bytes).
      const rows = await query<{ name: string; position: string; state: string }>(
        `SELECT name, position, state FROM ${s}.projections WHERE starts_with(name, $1) AND version = $2`,
        [prefix, version],
        'loadProjectionsByPrefix',
      );
      for (const r of rows) out.set(r.name, { position: Number(r.position), state: r.state });
      return out;
    },
    async saveProjection(name: string, version: string, position: number, state: string) {
      // One row holds state and position together: a crash keeps both or neither.
      await query(
        `INSERT INTO ${s}.projections (name, version, position, state, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (name, version) DO UPDATE SET position = excluded.position, state = excluded.state, updated_at = excluded.updated_at`,
        [name, version, position, state],
        'saveProjection',
      );
    },
    async activeVersion(name: string) {
      const rows = await query<{ version: string }>(
        `SELECT version FROM ${s}.projection_active WHERE name = $1`,
        [name],
        'activeVersion',
      );
      return rows[0]?.version ?? null;
    },
    async activateVersion(name: string, version: string) {
      await query(
        `INSERT INTO ${s}.projection_active (name, version) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version`,
        [name, version],
        'activateVersion',
      );
    },
    async dropProjectionVersion(name: string, version: string) {
      await query(
        `DELETE FROM ${s}.projections WHERE name = $1 AND version = $2`,
        [name, version],
        'dropProjection',
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await subs.closeAll();
      await listening;
      if (listener) {
        await listener.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
        listener.release();
        listener = null;
      }
      if (ownsPool) await pool.end();
    },
    async dropSchema() {
      await query(`DROP SCHEMA IF EXISTS ${s} CASCADE`, [], 'dropSchema');
      await store.close();
    },
  };
  return store;
}

async function migrate(pool: Pool, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  const steps = migrations(schema);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw translatePgError(e, 'connect');
  }
  try {
    await client.query('BEGIN');
    // Serialise migrators of this schema (two CLIs starting at once).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`referral-ledger:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${s}.schema_migrations`,
    );
    const version = done.rows[0]?.v ?? 0;
    if (version > steps.length) {
      throw new StoreUnavailableError(
        `schema ${schema} is at version ${version}, newer than this library's ${steps.length}; upgrade @referral-ledger/adapters`,
      );
    }
    for (let v = version; v < steps.length; v++) {
      await client.query(steps[v]!);
      await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [v + 1]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw translatePgError(e, `migration of schema ${schema}`);
  } finally {
    client.release();
  }
}
