import { ValidationError, type ValidationIssue } from './errors.ts';
import { type ParsedEvent, parseEvent, type RecordedEvent } from './events/envelope.ts';

export interface NdjsonOptions {
  /** File name used in error messages. */
  readonly file?: string;
  /** Stop collecting after this many bad lines (default 20). */
  readonly maxErrors?: number;
}

/**
 * Parse and validate an NDJSON log (SPEC §3.1): one event per line, blank lines ignored.
 * Every line is checked before anything is returned, so a caller that appends only after
 * this succeeds gets an all-or-nothing import. Throws one `ValidationError` whose message
 * names the file, line, event type and field path of the first bad line and counts the rest;
 * `issues` lists each bad line (`path` is `line 7: data.lead.email`).
 *
 * @example const events = parseNdjson(text, { file: 'log.ndjson' });
 */
export function parseNdjson(text: string, options: NdjsonOptions = {}): ParsedEvent[] {
  return parseNdjsonLines(text.split('\n'), options);
}

/** `parseNdjson` over lines already split (a streaming reader's output). Line numbers are 1-based. */
export function parseNdjsonLines(lines: Iterable<string>, options: NdjsonOptions = {}): ParsedEvent[] {
  const out: ParsedEvent[] = [];
  const bad = new BadLines(options);
  let n = 0;
  for (const rawLine of lines) {
    n += 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    try {
      out.push(parseNdjsonLine(line, { ...(options.file ? { file: options.file } : {}), line: n }));
    } catch (e) {
      if (!bad.add(e)) break;
    }
  }
  bad.throwIfAny('nothing was imported');
  return out;
}

/**
 * The bad lines of an NDJSON read, collected as `parseNdjsonLines` reports them: up to
 * `maxErrors`, then one `ValidationError` naming the first and counting the rest. For
 * readers that validate line by line as they stream (a replay of a file).
 */
export class BadLines {
  readonly #errors: ValidationError[] = [];
  readonly #max: number;

  constructor(options: NdjsonOptions = {}) {
    this.#max = options.maxErrors ?? 20;
  }

  /** How many bad lines so far. */
  get count(): number {
    return this.#errors.length;
  }

  /** Record a line's error (rethrows anything but a `ValidationError`); false once full. */
  add(e: unknown): boolean {
    if (!(e instanceof ValidationError)) throw e;
    this.#errors.push(e);
    return this.#errors.length < this.#max;
  }

  /** Throw the collected errors as one `ValidationError` ending with `; <outcome>`. */
  throwIfAny(outcome: string): void {
    const errors = this.#errors;
    if (errors.length === 0) return;
    const max = this.#max;
    const first = errors[0]!;
    const more =
      errors.length > 1
        ? ` (and ${errors.length - 1}${errors.length >= max ? '+' : ''} more bad line${errors.length > 2 ? 's' : ''})`
        : '';
    const issues: ValidationIssue[] = errors.flatMap((e) =>
      e.issues.map((i) => ({ path: `line ${e.location.line}: ${i.path}`, message: i.message })),
    );
    throw new ValidationError(`${first.message}${more}; ${outcome}`, issues, first.location);
  }
}

/** Parse one NDJSON line (no file context beyond `loc`). */
export function parseNdjsonLine(line: string, loc: { file?: string; line?: number } = {}): ParsedEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    const where = [loc.file, loc.line !== undefined ? `line ${loc.line}` : undefined]
      .filter(Boolean)
      .join(', ');
    throw new ValidationError(
      `${where ? `${where}: ` : ''}not valid JSON (${(e as Error).message})`,
      [{ path: '', message: 'not valid JSON' }],
      loc,
    );
  }
  return parseEvent(raw, loc);
}

/**
 * One event as an NDJSON line for export: stream, type, data, metadata, then `revision`
 * and `position` (SPEC §3.1). Importing the line gives back the same event.
 */
export function toNdjsonLine(e: RecordedEvent): string {
  return JSON.stringify({
    streamId: e.streamId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    revision: e.revision,
    position: e.position,
  });
}
