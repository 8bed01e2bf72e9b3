import type { NewEvent, RecordedEvent } from '../events/envelope.ts';

/**
 * What an append expects of its stream (optimistic concurrency):
 * - `'any'`: no check;
 * - `'no-stream'`: the stream must not exist yet;
 * - `'stream-exists'`: the stream must have at least one event;
 * - a number: the revision of the stream's last event (0-based) must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

/** Events to append to one stream, with what the writer expects of it. */
export interface StreamWrite {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision?: ExpectedRevision;
}

/** The outcome of an append to one stream. */
export interface AppendResult {
  readonly streamId: string;
  /** Revision of the stream's last event after the append (-1: the stream still has none). */
  readonly nextExpectedRevision: number;
  /** How many events were new; events already stored with the same id and content are skipped. */
  readonly appended: number;
  /** Global positions of the newly appended events, in order. */
  readonly positions: readonly number[];
}

export interface BatchResult {
  readonly streams: readonly AppendResult[];
  readonly appended: number;
  /** The store's last global position after the batch. */
  readonly lastPosition: number;
}

/** What an append of chunks (`EventStore.appendChunks`, `appendInChunks`) reports. */
export interface ChunkedAppendResult {
  /** Events stored (events already stored with the same id and content are skipped). */
  readonly appended: number;
  /** Every event of the chunks, skipped ones included. */
  readonly events: number;
  /** The store's last global position after the append. */
  readonly lastPosition: number;
}

export interface ReadStreamOptions {
  /** First revision to return (default 0). */
  readonly fromRevision?: number;
  /** At most this many events. */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events with a global position strictly greater than this (default 0: from the start). */
  readonly after?: number;
  /** At most this many events (a store may cap a page; keep reading until a page comes back empty). */
  readonly limit?: number;
}

export interface SubscribeOptions {
  /** Deliver events after this global position (a checkpoint); default 0. */
  readonly after?: number;
  /** Called with each batch of events in position order; the next batch waits for the promise. */
  readonly onEvents: (events: readonly RecordedEvent[]) => void | Promise<void>;
  /** Called if delivery fails (the handler threw or the store failed); the subscription stops. */
  readonly onError?: (error: unknown) => void;
  /** Largest batch handed to `onEvents` (default 500). */
  readonly batchSize?: number;
}

/** A live subscription: catches up from its checkpoint, then follows new events. */
export interface Subscription {
  /** Position of the last event handed to `onEvents`. */
  readonly position: () => number;
  /** Resolves once every event up to the store's current head has been delivered. */
  readonly caughtUp: () => Promise<void>;
  /** Stop delivering; resolves when the handler in flight has returned. */
  readonly close: () => Promise<void>;
}

/**
 * The event store (SPEC §3, STYLE 7): every store (memory, SQLite, PostgreSQL,
 * EventStoreDB) implements this small interface and passes the same contract suite
 * (`@referral-ledger/core/testing`).
 *
 * Guarantees every implementation gives:
 * - appends are atomic (all events of an `appendBatch`, across streams, or none);
 * - each stream's revisions are 0, 1, 2, ... with no gap; global positions strictly increase;
 * - an event whose `eventId` is already stored with the same content is skipped
 *   (idempotent retry); with different content the append is refused (`event-id-conflict`);
 * - `readAll` never skips or repeats an event, whatever order concurrent writers commit in.
 */
export interface EventStore {
  /** `memory`, `sqlite`, `postgres`, `eventstoredb`. */
  readonly kind: string;
  /** Append events to one stream, checking `expectedRevision` (default `'any'`). */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Append to several streams atomically: every write's check passes and all are stored, or nothing is. */
  appendBatch(writes: readonly StreamWrite[]): Promise<BatchResult>;
  /**
   * Optional: append the writes of every chunk as one atomic batch — the same checks and
   * outcome as one `appendBatch` of all the chunks' writes in order — while holding one chunk
   * in memory at a time (what `import` of a large file needs). If any check fails, or the
   * iteration throws, nothing is stored. The store keeps its write lock until the last chunk
   * is written, so other writers wait. Use `appendInChunks`, which falls back to
   * `appendBatch` for a store without it.
   */
  appendChunks?(chunks: AsyncIterable<readonly StreamWrite[]>): Promise<ChunkedAppendResult>;
  /** A stream's events in revision order (empty for a stream that does not exist). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Revision of a stream's last event, or -1 when it has none. */
  streamRevision(streamId: string): Promise<number>;
  /** One page of the global log after a position, in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The last global position (0 for an empty store). */
  headPosition(): Promise<number>;
  /** Deliver every event after `after`, then new ones as they are appended. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Release connections and files. */
  close(): Promise<void>;
}

/** Projection checkpoints: the last position a named consumer has fully applied. */
export interface CheckpointStore {
  getCheckpoint(name: string): Promise<number | null>;
  setCheckpoint(name: string, position: number): Promise<void>;
}

/** Read the whole log from a position, page by page. */
export async function* readAllEvents(
  store: Pick<EventStore, 'readAll'>,
  options: { after?: number; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  let after = options.after ?? 0;
  const limit = options.pageSize ?? 5000;
  for (;;) {
    const page = await store.readAll({ after, limit });
    if (page.length === 0) return;
    for (const e of page) yield e;
    after = page[page.length - 1]!.position;
  }
}

/**
 * Hand every event of the log from a position to `apply`, page by page; resolves to the
 * number of events. The same reads as `readAllEvents` without a promise per event: what a
 * replay of a large log wants.
 *
 * @example const n = await forEachEvent(store, (e) => model.apply(e));
 */
export async function forEachEvent(
  store: Pick<EventStore, 'readAll'>,
  apply: (event: RecordedEvent) => void,
  options: { after?: number; pageSize?: number; onPage?: (events: number) => void } = {},
): Promise<number> {
  let after = options.after ?? 0;
  const limit = options.pageSize ?? 5000;
  let n = 0;
  for (;;) {
    const page = await store.readAll({ after, limit });
    if (page.length === 0) return n;
    for (const e of page) apply(e);
    n += page.length;
    after = page[page.length - 1]!.position;
    options.onPage?.(n);
  }
}

/**
 * Append the writes of every chunk as one atomic batch (see `EventStore.appendChunks`): on a
 * store that streams them, one chunk is held at a time; on any other, the chunks are collected
 * and given to `appendBatch` (all in memory, same outcome).
 *
 * @example await appendInChunks(store, chunksOf(writes, 2000))
 */
export async function appendInChunks(
  store: Pick<EventStore, 'appendBatch' | 'appendChunks' | 'headPosition'>,
  chunks: AsyncIterable<readonly StreamWrite[]>,
): Promise<ChunkedAppendResult> {
  if (typeof store.appendChunks === 'function') return store.appendChunks(chunks);
  const all: StreamWrite[] = [];
  for await (const chunk of chunks) for (const w of chunk) all.push(w);
  const events = all.reduce((n, w) => n + w.events.length, 0);
  if (all.length === 0) return { appended: 0, events: 0, lastPosition: await store.headPosition() };
  const r = await store.appendBatch(all);
  return { appended: r.appended, events, lastPosition: r.lastPosition };
}
