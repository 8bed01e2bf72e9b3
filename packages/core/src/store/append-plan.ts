import { ConcurrencyError, EventIdConflictError, ValidationError } from '../errors.ts';
import type { EventMetadata, NewEvent } from '../events/envelope.ts';
import { completeMetadata } from '../events/envelope.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import type { ExpectedRevision } from './types.ts';

/**
 * What decides whether two events with the same id are "the same event": stream, type,
 * data and business time. `recordedAt` is left out because an API retry is stamped anew.
 * Stores keep this string (or its hash) beside the id to answer idempotent retries.
 */
export function eventContentKey(e: {
  streamId: string;
  type: string;
  data: unknown;
  metadata: { occurredAt: string };
}): string {
  return canonicalJson([e.streamId, e.type, e.data, e.metadata.occurredAt]);
}

/** Describe an expected revision for messages. */
export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'number' ? `revision ${expected}` : expected;
}

/** Throw a `ConcurrencyError` unless `current` (-1: no stream) satisfies `expected`. */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision | undefined,
  current: number,
): void {
  if (expected === undefined || expected === 'any') return;
  const ok =
    expected === 'no-stream'
      ? current === -1
      : expected === 'stream-exists'
        ? current >= 0
        : current === expected;
  if (!ok) {
    throw new ConcurrencyError(
      streamId,
      describeExpected(expected),
      current === -1 ? 'no stream' : `revision ${current}`,
    );
  }
}

export type CompletedEvent = NewEvent & { metadata: EventMetadata };

/**
 * Shared append logic every store uses before it writes: completes metadata, checks that
 * each event targets the write's stream, drops events already stored with the same id and
 * content (and repeats within the write), and refuses an id reused for other content.
 *
 * `lookup` returns, for an event id already in the store, its content key (or a function
 * computing it from the stored event) and position. Content keys are computed only when an
 * id is seen twice, so the common path (all ids new) costs no canonical JSON.
 */
export function planWrite(
  streamId: string,
  events: readonly NewEvent[],
  now: string,
  lookup: (eventId: string) => { contentKey: string | (() => string); position: number } | undefined,
): { fresh: CompletedEvent[]; skipped: number } {
  const fresh: CompletedEvent[] = [];
  let skipped = 0;
  const inWrite = new Map<string, CompletedEvent>();
  for (const raw of events) {
    if (raw.streamId !== streamId) {
      throw new ValidationError(`an event for stream ${raw.streamId} was appended to stream ${streamId}`, [
        { path: 'streamId', message: `expected ${streamId}` },
      ]);
    }
    const e = completeMetadata(raw, now);
    const existing = lookup(e.metadata.eventId);
    if (existing) {
      const stored = typeof existing.contentKey === 'function' ? existing.contentKey() : existing.contentKey;
      if (stored !== eventContentKey(e)) throw new EventIdConflictError(e.metadata.eventId, 'stored earlier');
      skipped += 1;
      continue;
    }
    const prior = inWrite.get(e.metadata.eventId);
    if (prior !== undefined) {
      if (eventContentKey(prior) !== eventContentKey(e))
        throw new EventIdConflictError(e.metadata.eventId, 'twice in one append');
      skipped += 1;
      continue;
    }
    inWrite.set(e.metadata.eventId, e);
    fresh.push(e);
  }
  return { fresh, skipped };
}
