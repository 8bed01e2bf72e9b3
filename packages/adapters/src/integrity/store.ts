import {
  type AppendResult,
  appendInChunks,
  type BatchResult,
  completeMetadata,
  type ChunkedAppendResult,
  ConcurrencyError,
  type EventStore,
  eventContentKey,
  type ExpectedRevision,
  type NewEvent,
  planWrite,
  type StreamWrite,
} from '@referral-ledger/core';
import { createHash } from 'node:crypto';
import type { ProjectionStateStore } from '../runner/types.ts';
import { eventChainHash, GENESIS_HASH, globalDigestStep } from './chain.ts';

/** A checkpoint over the global order: the digest of every event up to `position`. */
export interface IntegrityAnchor {
  readonly position: number;
  readonly digest: string;
  /** Id of the event at `position` (for messages). */
  readonly eventId: string;
}

/** Where anchors are kept (by default beside the projection snapshots of the same store). */
export interface AnchorStore {
  load(): Promise<IntegrityAnchor | null>;
  save(anchor: IntegrityAnchor): Promise<void>;
}

const ANCHOR_NAME = 'integrity-anchor';
const ANCHOR_VERSION = 'v1';

/** The anchor store of a store that keeps projection snapshots (SQLite, PostgreSQL). */
export function projectionAnchorStore(store: ProjectionStateStore): AnchorStore {
  return {
    async load() {
      const row = await store.loadProjection(ANCHOR_NAME, ANCHOR_VERSION);
      return row ? (JSON.parse(row.state) as IntegrityAnchor) : null;
    },
    async save(anchor) {
      await store.saveProjection(ANCHOR_NAME, ANCHOR_VERSION, anchor.position, JSON.stringify(anchor));
    },
  };
}

/** An anchor store in memory (tests, stores without snapshots). */
export function memoryAnchorStore(): AnchorStore {
  let anchor: IntegrityAnchor | null = null;
  return {
    load: async () => anchor,
    save: async (a) => {
      anchor = a;
    },
  };
}

export interface IntegrityOptions {
  /** Clock for `recordedAt` of events appended without one (default: the system clock). */
  readonly clock?: () => Date;
  /** Where the global checkpoint is kept; default: the store's projection table, else none. */
  readonly anchors?: AnchorStore | null;
  /** Retries after a concurrent writer moved a stream the caller did not pin (default 50). */
  readonly maxRetries?: number;
}

/** A store whose appends are hash-chained; `anchors` is where its checkpoint lives. */
export type IntegrityStore<S extends EventStore> = S & {
  readonly integrity: { readonly anchors: AnchorStore | null; readonly inner: S };
};

function hasProjectionState(store: EventStore): store is EventStore & ProjectionStateStore {
  const s = store as Partial<ProjectionStateStore>;
  return typeof s.loadProjection === 'function' && typeof s.saveProjection === 'function';
}

interface StreamHead {
  revision: number;
  hash: string;
  /**
   * Ids stored in the stream (or chained in this append) with their content key, computed
   * only when asked — or, in an append of chunks, which keeps every head until the commit,
   * a 48-bit digest of it, in one map shared by every head (no event is kept).
   */
  readonly known: Map<string, Known>;
}

/** A content key to compute, or the 48-bit digest of one. */
type Known = (() => string) | number;

/** 48 bits of the SHA-256 of a content key: what an append of chunks keeps per event. */
function keyDigest(contentKey: string): number {
  return createHash('sha256').update(contentKey).digest().readUIntBE(0, 6);
}

/**
 * Make a store tamper-evident without touching its internals (SPEC §8): every appended
 * event gets `metadata.hash`, the SHA-256 of the previous hash in its stream and its own
 * canonical content (see `eventChainHash`), and after each append the checkpoint digest
 * over the global order is brought up to the store's head.
 *
 * To chain correctly the decorator must know the revision each event lands on, so an
 * append with `'any'` (or `'stream-exists'`) is sent with the exact revision it read and
 * retried if another writer got there first; an exact revision or `'no-stream'` is passed
 * through, and its conflict reaches the caller as before. Events already stored (same id
 * and content) are left out before hashing, so idempotent retries stay no-ops.
 *
 * @example const store = withIntegrity(getSQLiteEventStore({ path: 'ledger.db' }));
 */
export function withIntegrity<S extends EventStore>(
  inner: S,
  options: IntegrityOptions = {},
): IntegrityStore<S> {
  if ((inner as unknown as { integrity?: unknown }).integrity) return inner as IntegrityStore<S>;
  const clock = options.clock ?? (() => new Date());
  const maxRetries = options.maxRetries ?? 50;
  const anchors =
    options.anchors !== undefined
      ? options.anchors
      : hasProjectionState(inner)
        ? projectionAnchorStore(inner)
        : null;

  /** Conflicts that are the caller's answer, not a race: never retried. */
  const final = new WeakSet<Error>();

  /**
   * The stream's revision, last hash and stored ids. `shared`: an append of chunks, whose
   * heads live until the commit: ids go into that one map as digests.
   */
  async function head(streamId: string, shared?: Map<string, Known>): Promise<StreamHead> {
    const known: Map<string, Known> = shared ?? new Map();
    // A new stream (every stream of an import into an empty store) costs one cheap query.
    if ((await inner.streamRevision(streamId)) < 0) return { revision: -1, hash: GENESIS_HASH, known };
    const events = await inner.readStream(streamId);
    for (const e of events)
      known.set(
        e.metadata.eventId,
        // Canonical JSON only for an id that is appended again (a retry), not for every event.
        shared ? keyDigest(eventContentKey(e)) : () => eventContentKey(e),
      );
    const last = events[events.length - 1];
    return {
      revision: last ? last.revision : -1,
      hash: last && typeof last.metadata.hash === 'string' ? last.metadata.hash : GENESIS_HASH,
      known,
    };
  }

  /** Hash one write's fresh events onto `h`, returning the write to send to the inner store. */
  function chainWrite(w: StreamWrite, h: StreamHead, first: boolean, compact = false): StreamWrite {
    const now = clock().toISOString();
    const { fresh, skipped } = planWrite(w.streamId, w.events, now, (id) => {
      const k = h.known.get(id);
      if (k === undefined) return undefined;
      if (typeof k === 'function') return { contentKey: k, position: -1 };
      // Only a digest is kept: the content key of this write's event with that id if the
      // digests agree (the same event: skipped), else one no content key equals (refused).
      const again = w.events.find((e) => completeMetadata(e, now).metadata.eventId === id);
      const key = again ? eventContentKey(completeMetadata(again, now)) : '';
      return { contentKey: keyDigest(key) === k ? key : '', position: -1 };
    });
    // A retry of a write that is already stored: the inner store skips it (and, like every
    // store, does not hold the retry to its original expectation).
    if (fresh.length === 0 && skipped > 0) return w;
    const expected = w.expectedRevision ?? 'any';
    // Checks the caller pinned are enforced by the inner store; the ones it left open we pin.
    if (first) {
      if (expected === 'stream-exists' && h.revision < 0) {
        const e = new ConcurrencyError(w.streamId, 'stream-exists', 'no stream');
        final.add(e); // the caller's own check failed: waiting will not make the stream exist
        throw e;
      }
    }
    const pinned: ExpectedRevision =
      !first || typeof expected === 'number' || expected === 'no-stream'
        ? expected
        : h.revision < 0
          ? 'no-stream'
          : h.revision;
    const events: NewEvent[] = [];
    for (const e of fresh) {
      const revision = h.revision + 1;
      const { hash: _old, ...metadata } = e.metadata;
      const hash = eventChainHash(h.hash, {
        streamId: e.streamId,
        revision,
        type: e.type,
        data: e.data,
        metadata,
      });
      events.push({ ...e, metadata: { ...metadata, hash } } as NewEvent);
      h.revision = revision;
      h.hash = hash;
      h.known.set(e.metadata.eventId, compact ? keyDigest(eventContentKey(e)) : () => eventContentKey(e));
    }
    return { streamId: w.streamId, events, expectedRevision: pinned };
  }

  function pinnedByCaller(writes: readonly StreamWrite[], streamId: string): boolean {
    return writes.some(
      (w) =>
        w.streamId === streamId &&
        (typeof w.expectedRevision === 'number' || w.expectedRevision === 'no-stream'),
    );
  }

  async function withRetry<T>(writes: readonly StreamWrite[], run: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n += 1) {
      try {
        return await run();
      } catch (e) {
        const retry =
          e instanceof ConcurrencyError &&
          !final.has(e) &&
          !pinnedByCaller(writes, e.streamId) &&
          n < maxRetries;
        if (!retry) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 2 * (n + 1)));
      }
    }
  }

  let anchorTail: Promise<void> = Promise.resolve();
  /** Extend the checkpoint digest to the store's head (serialised within this process). */
  function advanceAnchor(): Promise<void> {
    if (!anchors) return Promise.resolve();
    anchorTail = anchorTail.then(async () => {
      let anchor = await anchors.load();
      let digest = anchor?.digest ?? GENESIS_HASH;
      let after = anchor?.position ?? 0;
      let lastId = anchor?.eventId ?? '';
      for (;;) {
        const page = await inner.readAll({ after, limit: 2000 });
        if (page.length === 0) break;
        for (const e of page) digest = globalDigestStep(digest, e);
        const last = page[page.length - 1]!;
        after = last.position;
        lastId = last.metadata.eventId;
      }
      if (!anchor || after > anchor.position) {
        anchor = { position: after, digest, eventId: lastId };
        await anchors.save(anchor);
      }
    });
    return anchorTail;
  }

  async function appendBatch(writes: readonly StreamWrite[]): Promise<BatchResult> {
    const result = await withRetry(writes, async () => {
      const heads = new Map<string, StreamHead>();
      const sent: StreamWrite[] = [];
      for (const w of writes) {
        let h = heads.get(w.streamId);
        const first = h === undefined;
        if (!h) {
          h = await head(w.streamId);
          heads.set(w.streamId, h);
        }
        sent.push(chainWrite(w, h, first));
      }
      return inner.appendBatch(sent);
    });
    if (result.appended > 0) await advanceAnchor();
    return result;
  }

  async function append(
    streamId: string,
    events: readonly NewEvent[],
    opts?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const write: StreamWrite = { streamId, events, ...(opts?.expectedRevision !== undefined ? opts : {}) };
    const result = await withRetry([write], async () => {
      const sent = chainWrite(write, await head(streamId), true);
      return inner.append(streamId, sent.events, { expectedRevision: sent.expectedRevision ?? 'any' });
    });
    if (result.appended > 0) await advanceAnchor();
    return result;
  }

  /**
   * Chain the chunks as they pass to the inner store's `appendChunks` (one chunk in memory):
   * the heads of the streams seen so far are kept across chunks. Without retries — the chunks
   * cannot be read twice — so a concurrent writer to one of the streams fails the whole
   * append (nothing stored), to be run again. A store without `appendChunks`: collected and
   * appended as one batch (with retries).
   */
  async function appendChunks(chunks: AsyncIterable<readonly StreamWrite[]>): Promise<ChunkedAppendResult> {
    if (typeof inner.appendChunks !== 'function')
      return appendInChunks({ appendBatch, headPosition: () => inner.headPosition() }, chunks);
    const heads = new Map<string, StreamHead>();
    const known = new Map<string, Known>();
    async function* chained(): AsyncGenerator<readonly StreamWrite[]> {
      for await (const chunk of chunks) {
        // The heads of the chunk's new streams, asked for together (on PostgreSQL they are
        // queued on the import's own connection, with no wait between them).
        const unseen = [...new Set(chunk.map((w) => w.streamId))].filter((id) => !heads.has(id));
        const fetched = await Promise.all(unseen.map((id) => head(id, known)));
        for (let i = 0; i < unseen.length; i++) heads.set(unseen[i]!, fetched[i]!);
        const sent: StreamWrite[] = [];
        const firstInChunk = new Set(unseen);
        for (const w of chunk) {
          const first = firstInChunk.delete(w.streamId);
          sent.push(chainWrite(w, heads.get(w.streamId)!, first, true));
        }
        yield sent;
      }
    }
    const result = await inner.appendChunks(chained());
    if (result.appended > 0) await advanceAnchor();
    return result;
  }

  const own: Record<PropertyKey, unknown> = {
    append,
    appendBatch,
    appendChunks,
    integrity: { anchors, inner },
  };
  // Everything else (reads, checkpoints, snapshots, `db`) is the inner store's, bound to it.
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.hasOwn(own, prop)) return own[prop];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    has(target, prop) {
      return Object.hasOwn(own, prop) || Reflect.has(target, prop);
    },
  }) as IntegrityStore<S>;
}
