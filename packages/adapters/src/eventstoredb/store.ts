import {
  upcastStored,
  type AppendResult,
  type BatchResult,
  type CheckpointStore,
  ConcurrencyError,
  checkExpectedRevision,
  describeExpected,
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
  streams,
} from '@referral-ledger/core';
import type {
  AllStreamResolvedEvent,
  EventStoreDBClient as Client,
  ResolvedEvent,
} from '@eventstore/db-client';
import type { ProjectionStateStore, StoredProjection } from '../runner/types.ts';

export interface EventStoreDBEventStoreOptions {
  /**
   * Stream-name prefixes that belong to the ledger; `readAll` and subscriptions see only
   * these. Default: the catalogue's stream kinds (`partner-`, `referral-`, ..., `rules`, `fx`).
   */
  readonly streamPrefixes?: readonly string[];
  /**
   * Prepended to every stream name on the server (`acme.` stores `partner-P-1` as
   * `acme.partner-P-1`), so several ledgers or test runs can share a cluster; default none.
   */
  readonly namespace?: string;
  /** Prefix of the adapter's own bookkeeping streams (checkpoints, projection snapshots); default `rl.`. */
  readonly internalPrefix?: string;
  /** Clock for `recordedAt` of events appended without one. */
  readonly clock?: () => Date;
  /** Subscribers re-read `$all` this often (ms) besides the live subscription; default 1000. */
  readonly pollIntervalMs?: number;
}

/** The EventStoreDB / KurrentDB store: an event store with checkpoints and projection snapshots in streams. */
export type EventStoreDBEventStore = EventStore &
  CheckpointStore &
  ProjectionStateStore & {
    readonly client: Client;
  };

/** Stream prefixes of the ledger's catalogue: `partner-`, `referral-`, ..., and the singletons `rules`, `fx`. */
export function ledgerStreamPrefixes(): string[] {
  return Object.entries(streams).map(([kind, fn]) => (fn.length === 0 ? kind : `${kind}-`));
}

type Esdb = typeof import('@eventstore/db-client');

async function loadDriver(): Promise<Esdb> {
  try {
    return (await import('@eventstore/db-client')) as Esdb;
  } catch (e) {
    throw new StoreUnavailableError(
      'the EventStoreDB store needs the `@eventstore/db-client` package: pnpm add @eventstore/db-client',
      { cause: e },
    );
  }
}

/**
 * Translate driver errors into the ledger's hierarchy: a wrong expected version is a
 * `ConcurrencyError`; unavailability, timeouts and the rest are `StoreUnavailableError`.
 */
export function translateEsdbError(
  e: unknown,
  what: string,
  streamId?: string,
  expected?: ExpectedRevision,
): Error {
  if (e instanceof LedgerError) return e;
  const err = e as { type?: string; message?: string; actualVersion?: unknown; streamName?: string };
  if (err.type === 'wrong-expected-version') {
    const actual = err.actualVersion;
    return new ConcurrencyError(
      streamId ?? err.streamName ?? 'unknown',
      expected === undefined ? 'the revision it read' : describeExpected(expected),
      typeof actual === 'bigint'
        ? `revision ${actual}`
        : actual === 'no_stream'
          ? 'no stream'
          : String(actual),
    );
  }
  return new StoreUnavailableError(
    `EventStoreDB ${what} failed (${err.type ?? 'no type'}): ${err.message ?? e}`,
    {
      cause: e,
    },
  );
}

/**
 * An event store on EventStoreDB / KurrentDB through `@eventstore/db-client` (a peer
 * dependency, loaded when this is called). Pass a client you own or a connection string
 * (`esdb://host:2113?tls=false`, `kurrentdb://...`).
 *
 * Mapping (docs/stores/eventstoredb.md):
 * - revisions are ESDB's stream revisions (both 0-based); `no-stream`, `stream-exists`,
 *   `any` and exact revisions map to `NO_STREAM`, `STREAM_EXISTS`, `ANY` and a bigint,
 *   enforced by the server;
 * - the ledger's `eventId` is the ESDB event id; before an append the adapter reads the
 *   target stream and skips events already there with the same content (refusing an id
 *   reused for other content), so idempotency is per stream;
 * - a global position is the event's `$all` prepare position (a byte offset in the
 *   transaction log: strictly increasing, not dense);
 * - `appendBatch` is NOT atomic across streams: every expectation is checked first, then
 *   each stream is written atomically in order; if one fails midway, the error says which
 *   streams were written, and retrying the same batch (same event ids) completes it.
 *
 * @example
 * const store = await getEventStoreDBEventStore('esdb://127.0.0.1:2113?tls=false');
 */
export async function getEventStoreDBEventStore(
  clientOrUrl: Client | string,
  options: EventStoreDBEventStoreOptions = {},
): Promise<EventStoreDBEventStore> {
  const esdb = await loadDriver();
  const ownsClient = typeof clientOrUrl === 'string';
  const client: Client =
    typeof clientOrUrl === 'string'
      ? esdb.EventStoreDBClient.connectionString(
          clientOrUrl.replace(/^kurrent(db)?(\+discover)?:/i, 'esdb$2:'),
        )
      : clientOrUrl;
  const clock = options.clock ?? (() => new Date());
  const prefixes = options.streamPrefixes ?? ledgerStreamPrefixes();
  const ns = options.namespace ?? '';
  const internal = `${ns}${options.internalPrefix ?? 'rl.'}`;
  const onServer = (streamId: string) => `${ns}${streamId}`;
  const isLedgerStream = (name: string) => {
    if (!name.startsWith(ns) || name.startsWith(internal)) return false;
    const id = name.slice(ns.length);
    return !id.startsWith('$') && prefixes.some((p) => p === id || id.startsWith(p));
  };

  const toEvent = (
    e: { streamId: string; type: string; data: unknown; metadata: unknown; revision: bigint },
    position: number,
  ): RecordedEvent =>
    upcastStored({
      streamId: e.streamId.slice(ns.length),
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      revision: Number(e.revision),
      position,
    } as RecordedEvent);

  async function readStreamRaw(
    streamId: string,
    opts: { fromRevision?: number; maxCount?: number; backwards?: boolean } = {},
  ) {
    const out: ResolvedEvent[] = [];
    try {
      const read = client.readStream(streamId, {
        fromRevision: opts.backwards
          ? esdb.END
          : opts.fromRevision !== undefined
            ? BigInt(opts.fromRevision)
            : esdb.START,
        direction: opts.backwards ? esdb.BACKWARDS : esdb.FORWARDS,
        ...(opts.maxCount !== undefined ? { maxCount: opts.maxCount } : {}),
      });
      for await (const r of read) out.push(r);
    } catch (e) {
      if ((e as { type?: string }).type === 'stream-not-found') return [];
      throw translateEsdbError(e, `read of ${streamId}`);
    }
    return out;
  }

  // Full ESDB positions of events this process has read, so a read can resume exactly
  // where the last one ended; after a restart `(p, p)` is used (see the docs).
  const seen = new Map<number, { commit: bigint; prepare: bigint }>();

  async function readAllPage(after: number, limit: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    const chunk = Math.max(limit, 100);
    let cursor = after;
    try {
      // `$all` also holds system and other applications' events: read on until the page is full.
      for (;;) {
        const from =
          cursor === 0
            ? esdb.START
            : (seen.get(cursor) ?? { commit: BigInt(cursor), prepare: BigInt(cursor) });
        let n = 0;
        let last = cursor;
        let lastFull: { commit: bigint; prepare: bigint } | null = null;
        for await (const r of client.readAll({
          fromPosition: from,
          maxCount: chunk,
        }) as AsyncIterable<AllStreamResolvedEvent>) {
          n += 1;
          const ev = r.event;
          if (!ev) continue;
          const p = Number(ev.position.prepare);
          if (p <= cursor) continue;
          last = p;
          lastFull = ev.position;
          if (!isLedgerStream(ev.streamId) || !ev.isJson) continue;
          if (seen.size > 100_000) seen.clear();
          seen.set(p, ev.position);
          out.push(toEvent(ev as never, p));
          if (out.length >= limit) return out;
        }
        if (n < chunk || last === cursor) return out;
        cursor = last;
        if (lastFull) seen.set(cursor, lastFull);
      }
    } catch (e) {
      throw translateEsdbError(e, 'read of $all');
    }
  }

  async function head(): Promise<number> {
    try {
      const read = client.readAll({ fromPosition: esdb.END, direction: esdb.BACKWARDS, maxCount: 1000 });
      for await (const r of read as AsyncIterable<AllStreamResolvedEvent>) {
        const ev = r.event;
        if (ev && isLedgerStream(ev.streamId)) return Number(ev.position.prepare);
      }
      return 0;
    } catch (e) {
      throw translateEsdbError(e, 'read of the $all head');
    }
  }

  const subs = new Subscriptions(readAllPage, head);
  let live: { unsubscribe(): Promise<void> } | null = null;
  function startFollowing(): void {
    if (!live) {
      try {
        // A catch-up subscription from the end, filtered server-side to the ledger's prefixes,
        // only wakes the pumps: delivery reads `$all` in order, so a dropped subscription loses nothing.
        const sub = client.subscribeToAll({
          fromPosition: esdb.END,
          filter: esdb.streamNameFilter({ prefixes: prefixes.map((p) => `${ns}${p}`) }),
        });
        sub.on('data', () => subs.notify());
        sub.on('error', () => {
          live = null;
        });
        live = sub;
      } catch {
        live = null;
      }
    }
    // The live subscription wakes subscribers at once; the poll is the fallback.
    subs.pollHead(options.pollIntervalMs ?? 1000);
  }

  async function appendOne(w: StreamWrite, now: string, checkOnly: boolean): Promise<AppendResult> {
    const stored = await readStreamRaw(onServer(w.streamId));
    const byId = new Map<string, { contentKey: string; position: number }>();
    for (const r of stored) {
      if (!r.event) continue;
      const e = toEvent(r.event as never, 0);
      byId.set(r.event.id, { contentKey: eventContentKey(e), position: 0 });
    }
    const current = stored.length > 0 ? Number(stored[stored.length - 1]!.event!.revision) : -1;
    const plan = planWrite(w.streamId, w.events, now, (id) => byId.get(id));
    if (plan.fresh.length > 0 || plan.skipped === 0)
      checkExpectedRevision(w.streamId, w.expectedRevision, current);
    if (checkOnly || plan.fresh.length === 0) {
      return { streamId: w.streamId, nextExpectedRevision: current, appended: 0, positions: [] };
    }
    const expected = w.expectedRevision ?? 'any';
    const mapped =
      expected === 'any'
        ? esdb.ANY
        : expected === 'no-stream'
          ? esdb.NO_STREAM
          : expected === 'stream-exists'
            ? esdb.STREAM_EXISTS
            : // Some events were already there: the server must see the revision after them.
              BigInt(plan.skipped > 0 ? current : expected);
    try {
      const r = await client.appendToStream(
        onServer(w.streamId),
        plan.fresh.map((e) =>
          esdb.jsonEvent({
            id: e.metadata.eventId,
            type: e.type,
            data: e.data as never,
            metadata: e.metadata as never,
          }),
        ),
        { expectedRevision: mapped },
      );
      const next = Number(r.nextExpectedRevision);
      // Positions of the new events, read back from the stream (ESDB returns only the last).
      const written = await readStreamRaw(onServer(w.streamId), {
        fromRevision: next - plan.fresh.length + 1,
      });
      return {
        streamId: w.streamId,
        nextExpectedRevision: next,
        appended: plan.fresh.length,
        positions: written.map((x) => Number(x.event?.position?.prepare ?? x.commitPosition ?? 0)),
      };
    } catch (e) {
      throw translateEsdbError(e, `append to ${w.streamId}`, w.streamId, w.expectedRevision);
    }
  }

  async function appendBatch(writes: readonly StreamWrite[]): Promise<BatchResult> {
    const now = clock().toISOString();
    // Check every expectation before writing anything (no cross-stream transaction in ESDB).
    for (const w of writes) await appendOne(w, now, true);
    const results: AppendResult[] = [];
    for (const w of writes) {
      try {
        results.push(await appendOne(w, now, false));
      } catch (e) {
        if (results.length === 0) throw e;
        throw new LedgerError(
          'partial-batch',
          `EventStoreDB has no multi-stream transaction: ${results.map((r) => r.streamId).join(', ')} were written, ${w.streamId} failed (${(e as Error).message}); retry the same batch to complete it (its events are skipped where already stored).`,
          { cause: e },
        );
      }
    }
    if (results.some((r) => r.appended > 0)) subs.notify();
    const last = results.flatMap((r) => r.positions).at(-1);
    return {
      streams: results,
      appended: results.reduce((n, r) => n + r.appended, 0),
      lastPosition: last ?? (await head()),
    };
  }

  // Bookkeeping streams: the last event holds the value; `$maxCount` keeps them short.
  async function readLast<T>(stream: string): Promise<T | null> {
    const last = await readStreamRaw(stream, { backwards: true, maxCount: 1 });
    return (last[0]?.event?.data as T | undefined) ?? null;
  }
  async function writeValue(stream: string, type: string, data: Record<string, unknown>): Promise<void> {
    try {
      const r = await client.appendToStream(stream, esdb.jsonEvent({ type, data: data as never }));
      if (r.nextExpectedRevision === 0n) await client.setStreamMetadata(stream, { maxCount: 2 });
    } catch (e) {
      throw translateEsdbError(e, `write to ${stream}`);
    }
  }

  return {
    kind: 'eventstoredb',
    client,
    async append(
      streamId: string,
      events: readonly NewEvent[],
      opts: { expectedRevision?: ExpectedRevision } = {},
    ) {
      const r = await appendBatch([
        {
          streamId,
          events,
          ...(opts.expectedRevision !== undefined ? { expectedRevision: opts.expectedRevision } : {}),
        },
      ]);
      return r.streams[0]!;
    },
    appendBatch,
    async readStream(streamId: string, opts: ReadStreamOptions = {}) {
      const rows = await readStreamRaw(onServer(streamId), {
        ...(opts.fromRevision !== undefined ? { fromRevision: opts.fromRevision } : {}),
        ...(opts.maxCount !== undefined ? { maxCount: opts.maxCount } : {}),
      });
      return rows
        .filter((r) => r.event)
        .map((r) => toEvent(r.event as never, Number(r.event?.position?.prepare ?? r.commitPosition ?? 0)));
    },
    async streamRevision(streamId: string) {
      const last = await readStreamRaw(onServer(streamId), { backwards: true, maxCount: 1 });
      return last[0]?.event ? Number(last[0].event.revision) : -1;
    },
    async readAll(opts: ReadAllOptions = {}) {
      return readAllPage(opts.after ?? 0, opts.limit ?? 5000);
    },
    headPosition: head,
    subscribe(opts: SubscribeOptions): Subscription {
      const s = subs.add(opts);
      startFollowing();
      return s;
    },
    async getCheckpoint(name: string) {
      return (await readLast<{ position: number }>(`${internal}checkpoint-${name}`))?.position ?? null;
    },
    async setCheckpoint(name: string, position: number) {
      await writeValue(`${internal}checkpoint-${name}`, 'CheckpointSet', { position });
    },
    async loadProjection(name: string, version: string): Promise<StoredProjection | null> {
      return readLast<StoredProjection>(`${internal}projection-${name}@${version}`);
    },
    async saveProjection(name: string, version: string, position: number, state: string) {
      // One event carries state and position: a crash keeps both or neither.
      await writeValue(`${internal}projection-${name}@${version}`, 'ProjectionSaved', { position, state });
    },
    async activeVersion(name: string) {
      return (await readLast<{ version: string }>(`${internal}projection-active-${name}`))?.version ?? null;
    },
    async activateVersion(name: string, version: string) {
      await writeValue(`${internal}projection-active-${name}`, 'ProjectionActivated', { version });
    },
    async dropProjectionVersion(name: string, version: string) {
      try {
        await client.deleteStream(`${internal}projection-${name}@${version}`);
      } catch (e) {
        if ((e as { type?: string }).type !== 'stream-not-found') throw translateEsdbError(e, 'delete');
      }
    },
    async close() {
      await subs.closeAll();
      if (live) await live.unsubscribe().catch(() => {});
      if (ownsClient) await client.dispose();
    },
  };
}
