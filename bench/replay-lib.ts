/**
 * The replay benchmark's fast path (issue #3): read an exported NDJSON log in chunks, check
 * each line's envelope and apply it to a `LedgerModel` as it is parsed, keeping only what the
 * views read of each event. `replay-lib.test.ts` pins that it yields the same reports as the
 * plain path (`parseEvent` + `buildModel`).
 */
import {
  eachFileLine,
  forEachStoredEvent,
  openStore,
  type ReadAheadWorkerStats,
} from '../packages/adapters/src/index.ts';
import { EVENT_TYPES, parseEvent, type RecordedEvent, type RuleSet } from '../packages/core/src/index.ts';
import { LedgerModel } from '../packages/projections/src/index.ts';

/** Call `onLine` for every non-empty line of `path` (the adapters' chunked line reader). */
export function eachLine(path: string, onLine: (line: string, n: number) => void): Promise<number> {
  return eachFileLine(path, (line, n) => {
    if (line.length > 0) onLine(line, n);
  });
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
 * pages of 5,000 and apply each event (`forEachStoredEvent`: a SQLite file is read ahead in a
 * worker thread unless `readAhead` is `off`).
 */
export async function replayStore(
  target: string,
  options: ReplayFileOptions,
  readAhead: 'auto' | 'worker' | 'off' = 'auto',
): Promise<{ model: LedgerModel; lines: number; worker?: ReadAheadWorkerStats }> {
  const store = await openStore(target);
  try {
    const model = new LedgerModel({ asOf: options.asOf, ...(options.rules ? { rules: options.rules } : {}) });
    let worker: ReadAheadWorkerStats | undefined;
    const n = await forEachStoredEvent(store, (e) => model.apply(e), {
      pageSize: 5000,
      readAhead,
      onWorkerStats: (s) => {
        worker = s;
      },
    });
    return { model, lines: n, ...(worker ? { worker } : {}) };
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
