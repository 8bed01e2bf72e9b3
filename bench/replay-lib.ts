/**
 * The replay benchmark's fast path (issue #3): read an exported NDJSON log in chunks, check
 * each line's envelope and apply it to a `LedgerModel` as it is parsed, keeping only what the
 * views read of each event. `replay-lib.test.ts` pins that it yields the same reports as the
 * plain path (`parseEvent` + `buildModel`).
 */
import { createReadStream } from 'node:fs';
import { openStore } from '../packages/adapters/src/index.ts';
import {
  EVENT_TYPES,
  parseEvent,
  type RecordedEvent,
  type RuleSet,
  readAllEvents,
} from '../packages/core/src/index.ts';
import { LedgerModel } from '../packages/projections/src/index.ts';

/**
 * Read `path` in 1 MiB chunks and call `onLine` for every non-empty line. Lines are found on
 * the bytes (`\n` is never part of a multi-byte UTF-8 sequence) and decoded one by one, so no
 * chunk-sized string is concatenated or sliced.
 */
export async function eachLine(path: string, onLine: (line: string, n: number) => void): Promise<number> {
  let rest: Buffer | null = null;
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    let start = 0;
    if (rest !== null) {
      // The line that straddles chunks.
      const i = buf.indexOf(10);
      if (i === -1) {
        rest = Buffer.concat([rest, buf]);
        continue;
      }
      const line = Buffer.concat([rest, buf.subarray(0, i)]).toString('utf8');
      rest = null;
      if (line.length > 0) onLine(line, ++n);
      start = i + 1;
    }
    for (let i = buf.indexOf(10, start); i !== -1; i = buf.indexOf(10, start)) {
      if (i > start) onLine(buf.toString('utf8', start, i), ++n);
      start = i + 1;
    }
    // Copy the tail so the chunk itself can be freed.
    if (start < buf.length) rest = Buffer.from(buf.subarray(start));
  }
  if (rest !== null && rest.length > 0) onLine(rest.toString('utf8'), ++n);
  return n;
}

const TYPES = new Set<string>(EVENT_TYPES);

/**
 * Replaying a log exported by the ledger: every event was validated when it was appended,
 * so the replay checks the envelope (known type, stream, id, business time, schema version
 * 1) and takes the parsed object as is. A line that fails the check goes through the full
 * validation (`parseEvent`: zod schemas, upcasters, derived ids), which names what is wrong.
 * `validate` runs every line through it, as `import` does.
 *
 * The parsed object is returned as it is: the model keeps a compact `Fact` of it (type, data,
 * position, id, business time), not the envelope.
 */
export function replayLine(line: string, lineNo: number, validate: boolean, file = '<log>'): RecordedEvent {
  const o = JSON.parse(line);
  const m = o?.metadata;
  if (
    validate ||
    typeof o.type !== 'string' ||
    !TYPES.has(o.type) ||
    typeof o.streamId !== 'string' ||
    typeof o.data !== 'object' ||
    o.data === null ||
    typeof m?.occurredAt !== 'string' ||
    typeof m.eventId !== 'string' ||
    (m.schemaVersion !== undefined && m.schemaVersion !== 1)
  ) {
    const parsed = parseEvent(o, { file, line: lineNo });
    return {
      ...parsed.event,
      revision: parsed.revision ?? 0,
      position: parsed.position ?? lineNo,
    } as unknown as RecordedEvent;
  }
  // The model keeps only what views read of the envelope (`Fact`), so the parsed object is
  // handed over as it is, and dies young.
  if (m.recordedAt === undefined) m.recordedAt = m.occurredAt;
  if (o.position === undefined) o.position = lineNo;
  return o as RecordedEvent;
}

export interface ReplayFileOptions {
  readonly asOf: string;
  readonly rules?: RuleSet;
  readonly validate?: boolean;
}

/** Replay an NDJSON file into a finished-on-read model; returns it with the number of lines. */
export async function replayFile(
  path: string,
  options: ReplayFileOptions,
): Promise<{ model: LedgerModel; lines: number }> {
  const model = new LedgerModel({ asOf: options.asOf, ...(options.rules ? { rules: options.rules } : {}) });
  const validate = options.validate ?? false;
  const lines = await eachLine(path, (line, lineNo) => model.apply(replayLine(line, lineNo, validate, path)));
  return { model, lines };
}

/**
 * Replay a store (`--store` target) into a model, as `report --store` does: read `$all` in
 * pages of 5,000 and apply each event.
 */
export async function replayStore(
  target: string,
  options: ReplayFileOptions,
): Promise<{ model: LedgerModel; lines: number }> {
  const store = await openStore(target);
  try {
    const model = new LedgerModel({ asOf: options.asOf, ...(options.rules ? { rules: options.rules } : {}) });
    let n = 0;
    for await (const e of readAllEvents(store, { pageSize: 5000 })) {
      model.apply(e);
      n += 1;
    }
    return { model, lines: n };
  } finally {
    await store.close();
  }
}

/** Whether the store at `target` holds no event. */
export async function storeIsEmpty(target: string): Promise<boolean> {
  const store = await openStore(target);
  try {
    return (await store.readAll({ after: 0, limit: 1 })).length === 0;
  } finally {
    await store.close();
  }
}
