import { createReadStream, createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import {
  type EventStore,
  getInMemoryEventStore,
  type ParsedEvent,
  parseNdjsonLines,
  readAllEvents,
  type RecordedEvent,
  type StreamWrite,
  toNdjsonLine,
  ValidationError,
} from '@referral-ledger/core';

/** Read and validate an NDJSON log file; every line is checked before anything is returned. */
export async function readNdjsonFile(file: string): Promise<ParsedEvent[]> {
  try {
    await access(file);
  } catch {
    throw new ValidationError(`${file}: no such file`, [{ path: 'file', message: 'not found' }], { file });
  }
  const lines: string[] = [];
  const rl = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) lines.push(line);
  return parseNdjsonLines(lines, { file });
}

/** Group parsed events into per-stream writes, keeping the file's order within each stream. */
export function toWrites(events: readonly ParsedEvent[]): StreamWrite[] {
  const byStream = new Map<string, ParsedEvent['event'][]>();
  const order: string[] = [];
  for (const { event } of events) {
    let list = byStream.get(event.streamId);
    if (!list) {
      list = [];
      byStream.set(event.streamId, list);
      order.push(event.streamId);
    }
    list.push(event);
  }
  return order.map((streamId) => ({ streamId, events: byStream.get(streamId)! }));
}

export interface ImportResult {
  readonly read: number;
  readonly appended: number;
  readonly skipped: number;
}

/**
 * Import an NDJSON file into a store, all or nothing (SPEC §3.1): the whole file is
 * validated first, then appended in one atomic batch in file order; events already in the
 * store (same id and content) are skipped, so importing a file twice appends nothing.
 */
export async function importNdjsonFile(store: EventStore, file: string): Promise<ImportResult> {
  const parsed = await readNdjsonFile(file);
  // One write per event keeps the file's global order; the batch is still one transaction.
  const writes: StreamWrite[] = parsed.map(({ event }) => ({ streamId: event.streamId, events: [event] }));
  const r = writes.length > 0 ? await store.appendBatch(writes) : { appended: 0 };
  return { read: parsed.length, appended: r.appended, skipped: parsed.length - r.appended };
}

/** A store holding a file's events in file order: what `--events file` replays. */
export async function storeFromNdjsonFile(file: string): Promise<EventStore> {
  const store = getInMemoryEventStore();
  await importNdjsonFile(store, file);
  return store;
}

/**
 * What an export writes of an event: everything but what belongs to the store's own keys
 * and secret (the privacy layer's `sealed` commitments, and its `match` keys except on
 * erased events, whose emails they stand in for), so a log exports the same from any store.
 */
function exportForm(e: RecordedEvent): RecordedEvent {
  const m = e.metadata as Record<string, unknown>;
  if (m.sealed === undefined && (m.match === undefined || m.erased === true)) return e;
  const { sealed: _sealed, match, ...rest } = m;
  return { ...e, metadata: m.erased === true ? { ...rest, match } : rest } as unknown as RecordedEvent;
}

/** Write the whole log as NDJSON (with revision and position) to a file or a stream. */
export async function exportNdjson(store: EventStore, out: Writable | string): Promise<number> {
  const stream: Writable = typeof out === 'string' ? createWriteStream(out, { encoding: 'utf8' }) : out;
  let n = 0;
  let buf = '';
  for await (const e of readAllEvents(store)) {
    buf += `${toNdjsonLine(exportForm(e))}\n`;
    n += 1;
    if (buf.length > 1 << 16) {
      if (!stream.write(buf)) await once(stream, 'drain');
      buf = '';
    }
  }
  if (buf) stream.write(buf);
  if (typeof out === 'string') {
    stream.end();
    await once(stream, 'finish');
  }
  return n;
}
