import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  BadLines,
  completeMetadata,
  type EventStore,
  getInMemoryEventStore,
  type ParsedEvent,
  parseNdjsonLine,
  readAllEvents,
  type RecordedEvent,
  type StreamWrite,
  toNdjsonLine,
  ValidationError,
} from '@referral-ledger/core';

/** A `ValidationError` naming the file when it does not exist or is not a file (a directory). */
async function mustExist(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile() || file === '/dev/stdin';
  } catch {
    throw new ValidationError(`${file}: no such file`, [{ path: 'file', message: 'not found' }], { file });
  }
  if (!isFile)
    throw new ValidationError(`${file}: not a file`, [{ path: 'file', message: 'not a file' }], { file });
}

/** Read and validate an NDJSON log file; every line is checked before anything is returned. */
export async function readNdjsonFile(file: string): Promise<ParsedEvent[]> {
  await mustExist(file);
  // Lines split on \n only (a trailing \r removed), as `replayNdjsonFile` splits them: a
  // U+2028 inside a string, which JSON allows unescaped, is not a line break. Each line is
  // validated as it is read, so the file's text is never held whole (as `parseNdjsonLines`
  // does: blank lines skipped, bad lines collected up to 20, then the rest are not parsed).
  const out: ParsedEvent[] = [];
  const bad = new BadLines({ file });
  let full = false;
  await eachFileLine(file, (line, n) => {
    if (full || line.trim() === '') return;
    try {
      out.push(parseNdjsonLine(line, { file, line: n }));
    } catch (e) {
      if (!bad.add(e)) full = true;
    }
  });
  bad.throwIfAny('nothing was imported');
  return out;
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

export interface ImportOptions {
  /** Events per chunk handed to a store that appends chunks (default 2,000). */
  readonly chunkSize?: number;
  /** Called with the number of events read so far, as each chunk is handed to the store. */
  readonly onProgress?: (events: number) => void;
}

/**
 * Import an NDJSON file into a store, all or nothing (SPEC §3.1): every line is validated,
 * and the file's events are appended as one atomic batch in file order; events already in
 * the store (same id and content) are skipped, so importing a file twice appends nothing.
 * A bad line is reported with its file, line, type and field (up to 20 of them) and nothing
 * is stored.
 *
 * On a store that appends chunks (`appendChunks`: SQLite, PostgreSQL, and the CLI's
 * integrity and privacy layers over them) the file is read once and appended 2,000 events at
 * a time inside one transaction, so memory holds one chunk, not the file; a bad line rolls the
 * transaction back. Bad lines are reported before any error of the store, as when the whole
 * file was validated first. Other stores get the whole file validated, then one
 * `appendBatch`.
 */
export async function importNdjsonFile(
  store: EventStore,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (typeof store.appendChunks !== 'function') {
    const parsed = await readNdjsonFile(file);
    // One write per event keeps the file's global order; the batch is still one transaction.
    const writes: StreamWrite[] = parsed.map(({ event }) => ({ streamId: event.streamId, events: [event] }));
    const r = writes.length > 0 ? await store.appendBatch(writes) : { appended: 0 };
    return { read: parsed.length, appended: r.appended, skipped: parsed.length - r.appended };
  }
  await mustExist(file);
  const size = Math.max(1, options.chunkSize ?? 2000);
  const bad = new BadLines({ file });
  let full = false;
  let read = 0;
  /** The last line read (validated) by `chunks`. */
  let lastLine = 0;
  let ended = false;
  const check = (line: string, n: number): ParsedEvent | null => {
    if (full || line.trim() === '') return null;
    try {
      return parseNdjsonLine(line, { file, line: n });
    } catch (e) {
      if (!bad.add(e)) full = true;
      return null;
    }
  };
  async function* chunks(): AsyncGenerator<StreamWrite[]> {
    let chunk: StreamWrite[] = [];
    for await (const { first, lines } of fileLineBatches(file)) {
      for (let i = 0; i < lines.length; i++) {
        const parsed = check(lines[i]!, first + i);
        lastLine = first + i;
        // After a bad line nothing more is appended; the rest is still checked, for the report.
        if (parsed === null || bad.count > 0) continue;
        read += 1;
        chunk.push({ streamId: parsed.event.streamId, events: [parsed.event] });
        if (chunk.length >= size) {
          options.onProgress?.(read);
          yield chunk;
          chunk = [];
        }
      }
    }
    ended = true;
    // Thrown into the store's append, which rolls back everything appended so far.
    bad.throwIfAny('nothing was imported');
    if (chunk.length > 0) yield chunk;
  }
  let appended: number;
  try {
    appended = (await store.appendChunks(chunks())).appended;
  } catch (e) {
    if (!ended) {
      // The store refused a chunk before the whole file was read: bad lines further on are
      // reported first, as when every line was validated before appending.
      await eachFileLine(file, (line, n) => {
        if (n > lastLine) check(line, n);
      });
      bad.throwIfAny('nothing was imported');
    }
    throw e;
  }
  return { read, appended, skipped: read - appended };
}

/** A store holding a file's events in file order: what `--events file` replays. */
export async function storeFromNdjsonFile(file: string): Promise<EventStore> {
  const store = getInMemoryEventStore();
  await importNdjsonFile(store, file);
  return store;
}

/**
 * Call `onLine` for every line of a file with its 1-based number (a trailing `\r` removed).
 * The file is read in 1 MiB chunks and split on the bytes (`\n` is never part of a
 * multi-byte UTF-8 sequence), so no chunk-sized string is built per chunk. Resolves to the
 * number of lines.
 */
export async function eachFileLine(file: string, onLine: (line: string, n: number) => void): Promise<number> {
  let n = 0;
  for await (const { first, lines } of fileLineBatches(file)) {
    for (let i = 0; i < lines.length; i++) onLine(lines[i]!, first + i);
    n = first + lines.length - 1;
  }
  return n;
}

/**
 * The lines of a file as `eachFileLine` splits them, one read chunk (1 MiB) at a time:
 * `lines[i]` is line number `first + i` (1-based). For a reader that pulls lines (an import
 * that appends as it reads) rather than being called for each.
 */
export async function* fileLineBatches(file: string): AsyncGenerator<{ first: number; lines: string[] }> {
  let rest: Buffer | null = null;
  let n = 0;
  let lines: string[] = [];
  const emit = (line: string) => {
    lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    let start = 0;
    if (rest !== null) {
      // The line that straddles chunks.
      const i = buf.indexOf(10);
      if (i === -1) {
        rest = Buffer.concat([rest, buf]);
        continue;
      }
      emit(Buffer.concat([rest, buf.subarray(0, i)]).toString('utf8'));
      rest = null;
      start = i + 1;
    }
    for (let i = buf.indexOf(10, start); i !== -1; i = buf.indexOf(10, start)) {
      emit(buf.toString('utf8', start, i));
      start = i + 1;
    }
    // Copy the tail so the chunk itself can be freed.
    if (start < buf.length) rest = Buffer.from(buf.subarray(start));
    if (lines.length > 0) {
      yield { first: n + 1, lines };
      n += lines.length;
      lines = [];
    }
  }
  if (rest !== null && rest.length > 0) emit(rest.toString('utf8'));
  if (lines.length > 0) yield { first: n + 1, lines };
}

/**
 * Replay an NDJSON log file without a store: every line is validated as `import` validates
 * it (a bad line is named with its file, line, type and field, up to 20 of them, and the
 * replay fails), completed as a store would record it (an id and `recordedAt` when missing,
 * the current schema version), given the position and stream revision an import into an
 * empty store would give it, and handed to `apply` at once — so memory holds what `apply`
 * keeps, not the file. An event id that comes twice fails the replay, as it fails an import.
 * Resolves to the number of events applied.
 *
 * @example
 * const model = new LedgerModel({ asOf: '2026-03-01T00:00:00Z' });
 * await replayNdjsonFile('log.ndjson', (e) => model.apply(e));
 */
export async function replayNdjsonFile(
  file: string,
  apply: (event: RecordedEvent) => void,
  options: { now?: Date; onProgress?: (events: number) => void } = {},
): Promise<number> {
  await mustExist(file);
  const now = (options.now ?? new Date()).toISOString();
  const bad = new BadLines();
  const seen = new Set<string>();
  const revisions = new Map<string, number>();
  let position = 0;
  let full = false;
  await eachFileLine(file, (line, n) => {
    if (full || line.trim() === '') return;
    let event: ReturnType<typeof completeMetadata>;
    try {
      event = completeMetadata(parseNdjsonLine(line, { file, line: n }).event, now);
      const id = event.metadata.eventId;
      if (seen.has(id))
        throw new ValidationError(
          `${file}, line ${n}: event id ${id} appears a second time in the file`,
          [{ path: 'metadata.eventId', message: 'appears twice' }],
          { file, line: n },
        );
      seen.add(id);
    } catch (e) {
      full = !bad.add(e);
      return;
    }
    // After a bad line nothing more is applied; the rest is only checked, to report it.
    if (bad.count > 0) return;
    const revision = (revisions.get(event.streamId) ?? -1) + 1;
    revisions.set(event.streamId, revision);
    position += 1;
    apply({ ...event, revision, position } as RecordedEvent);
    if (options.onProgress && position % 100_000 === 0) options.onProgress(position);
  });
  bad.throwIfAny('the replay stopped at the first bad line');
  return position;
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
