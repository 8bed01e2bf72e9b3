import type { RecordedEvent } from '../events/envelope.ts';
import { checkExpectedRevision, eventContentKey, planWrite } from './append-plan.ts';
import { Subscriptions } from './subscriptions.ts';
import type {
  AppendResult,
  BatchResult,
  CheckpointStore,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StreamWrite,
  SubscribeOptions,
  Subscription,
} from './types.ts';
import type { NewEvent } from '../events/envelope.ts';

export interface MemoryEventStoreOptions {
  /** The store's clock, for `recordedAt` of events appended without one. */
  readonly clock?: () => Date;
}

/**
 * An in-memory event store: for tests, replays of a file, and as the reference
 * implementation of the store contract. Nothing survives the process.
 *
 * @example
 * const store = getInMemoryEventStore();
 * await store.append('partner-P-1', [event], { expectedRevision: 'no-stream' });
 */
export function getInMemoryEventStore(options: MemoryEventStoreOptions = {}): EventStore & CheckpointStore {
  const clock = options.clock ?? (() => new Date());
  const log: RecordedEvent[] = [];
  const byStream = new Map<string, RecordedEvent[]>();
  // Content keys are computed only if an id comes again (a retry), not for every event.
  const byId = new Map<string, { contentKey: () => string; position: number }>();
  const checkpoints = new Map<string, number>();
  const subs = new Subscriptions(
    async (after, limit) => readAll({ after, limit }),
    async () => log.length,
  );

  function revisionOf(streamId: string): number {
    return (byStream.get(streamId)?.length ?? 0) - 1;
  }

  function readAll(opts: ReadAllOptions = {}): RecordedEvent[] {
    const after = opts.after ?? 0;
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    return log.slice(after, after + Math.min(limit, log.length));
  }

  function appendBatchSync(writes: readonly StreamWrite[]): BatchResult {
    const now = clock().toISOString();
    // Plan every write first, so a failed check leaves the store untouched (all or nothing).
    const pending = new Map<string, number>();
    const planned = writes.map((w) => {
      const plan = planWrite(w.streamId, w.events, now, (id) => byId.get(id));
      const current = pending.get(w.streamId) ?? revisionOf(w.streamId);
      if (plan.fresh.length > 0 || plan.skipped === 0)
        checkExpectedRevision(w.streamId, w.expectedRevision, current);
      pending.set(w.streamId, current + plan.fresh.length);
      return { w, plan };
    });
    const seen = new Set<string>();
    for (const { plan } of planned) {
      for (const e of plan.fresh) {
        if (seen.has(e.metadata.eventId))
          throw new Error(`event ${e.metadata.eventId} appears twice in one batch`);
        seen.add(e.metadata.eventId);
      }
    }
    const results: AppendResult[] = [];
    let appended = 0;
    for (const { w, plan } of planned) {
      let stream = byStream.get(w.streamId);
      const positions: number[] = [];
      for (const e of plan.fresh) {
        if (!stream) {
          stream = [];
          byStream.set(w.streamId, stream);
        }
        const recorded = { ...e, revision: stream.length, position: log.length + 1 } as RecordedEvent;
        log.push(recorded);
        stream.push(recorded);
        byId.set(e.metadata.eventId, { contentKey: () => eventContentKey(e), position: recorded.position });
        positions.push(recorded.position);
      }
      appended += plan.fresh.length;
      results.push({
        streamId: w.streamId,
        nextExpectedRevision: revisionOf(w.streamId),
        appended: plan.fresh.length,
        positions,
      });
    }
    if (appended > 0) subs.notify();
    return { streams: results, appended, lastPosition: log.length };
  }

  return {
    kind: 'memory',
    async append(
      streamId: string,
      events: readonly NewEvent[],
      opts: { expectedRevision?: ExpectedRevision } = {},
    ) {
      const r = appendBatchSync([
        {
          streamId,
          events,
          ...(opts.expectedRevision !== undefined ? { expectedRevision: opts.expectedRevision } : {}),
        },
      ]);
      return r.streams[0]!;
    },
    async appendBatch(writes: readonly StreamWrite[]) {
      return appendBatchSync(writes);
    },
    async readStream(streamId: string, opts: ReadStreamOptions = {}) {
      const stream = byStream.get(streamId) ?? [];
      const from = opts.fromRevision ?? 0;
      return stream.slice(from, opts.maxCount === undefined ? undefined : from + opts.maxCount);
    },
    async streamRevision(streamId: string) {
      return revisionOf(streamId);
    },
    async readAll(opts?: ReadAllOptions) {
      return readAll(opts);
    },
    async headPosition() {
      return log.length;
    },
    subscribe(opts: SubscribeOptions): Subscription {
      return subs.add(opts);
    },
    async getCheckpoint(name: string) {
      return checkpoints.get(name) ?? null;
    },
    async setCheckpoint(name: string, position: number) {
      checkpoints.set(name, position);
    },
    async close() {
      await subs.closeAll();
    },
  };
}
