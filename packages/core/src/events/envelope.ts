import { z } from 'zod';
import { type InputLocation, ValidationError, type ValidationIssue } from '../errors.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { uuidV5 } from '../util/uuid.ts';
import { zodIssues } from '../util/zod-issues.ts';
import {
  type EventData,
  type EventType,
  eventSchemas,
  isEventType,
  type LedgerEvent,
  streamIdField,
  streamKindOf,
} from './catalogue.ts';
import { Timestamp } from './common.ts';
import { currentSchemaVersion, upcast } from './upcasters.ts';

export const Actor = z.strictObject({ kind: z.enum(['partner', 'user', 'system']), id: z.string().min(1) });
export type Actor = z.infer<typeof Actor>;

/** The envelope's metadata as it may appear in a file or an append (SPEC §3.1). */
export const MetadataInput = z.looseObject({
  eventId: z.uuid({ message: 'must be a UUID' }).optional(),
  occurredAt: Timestamp,
  recordedAt: Timestamp.optional(),
  actor: Actor.optional(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  schemaVersion: z.number().int().min(1).optional(),
  hash: z.string().optional(),
  erased: z.boolean().optional(),
  /** Paths (from `data`) of the event's personal fields (SPEC §10). */
  personal: z.array(z.string()).optional(),
});

/** Metadata of a stored event: the id and both clocks are always known. */
export interface EventMetadata {
  readonly eventId: string;
  /** Business time: when it happened. */
  readonly occurredAt: string;
  /** Knowledge time: when the ledger learned it. */
  readonly recordedAt: string;
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Schema version of `data`; absent means 1. */
  readonly schemaVersion?: number;
  /** Chain hash, carried by exports (SPEC §8 Integrity). */
  readonly hash?: string;
  /** Set on exported events whose personal fields were erased (SPEC §10). */
  readonly erased?: boolean;
  readonly [extra: string]: unknown;
}

/** Metadata of an event about to be appended: id and `recordedAt` may be left to the ledger. */
export type NewEventMetadata = Omit<EventMetadata, 'eventId' | 'recordedAt'> & {
  readonly eventId?: string;
  readonly recordedAt?: string;
};

/** An event ready to append: type, data, target stream and metadata. */
export type NewEvent = LedgerEvent & { readonly streamId: string; readonly metadata: NewEventMetadata };

/** The envelope a store adds: stream, metadata with id and clocks, revision, position. */
export interface RecordedEnvelope {
  readonly streamId: string;
  readonly metadata: EventMetadata;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  /** Global position, strictly increasing in the store (starts at 1). */
  readonly position: number;
}

/** A stored event of the given type(s). */
export type RecordedEventOf<T extends EventType> = {
  [K in T]: { readonly type: K; readonly data: EventData<K> } & RecordedEnvelope;
}[T];

/** An event as a store returns it: with its id, both clocks, stream revision and global position. */
export type RecordedEvent = RecordedEventOf<EventType>;

/**
 * The id an event gets when it has none: a name-based UUID of its canonical JSON (its
 * stream, type, data and metadata less id, hash, revision and position), so the same
 * line always gets the same id and re-importing a file appends nothing.
 */
export function deriveEventId(event: {
  streamId: string;
  type: string;
  data: unknown;
  metadata: Readonly<Record<string, unknown>>;
}): string {
  const { eventId: _id, hash: _hash, ...metadata } = event.metadata;
  return uuidV5(canonicalJson({ streamId: event.streamId, type: event.type, data: event.data, metadata }));
}

/** Fill in the id (derived from content) and `recordedAt` (`now`) an event lacks. */
export function completeMetadata(event: NewEvent, now: string): NewEvent & { metadata: EventMetadata } {
  const m = event.metadata;
  const { eventId: givenId, recordedAt: givenRecordedAt, occurredAt, ...rest } = m;
  const eventId = givenId ?? deriveEventId(event as never);
  const recordedAt = givenRecordedAt ?? now;
  // New events are written in the type's current shape; stamp the version once there is more than one.
  const version = currentSchemaVersion(event.type);
  if (version > 1 && rest.schemaVersion === undefined)
    (rest as { schemaVersion?: number }).schemaVersion = version;
  return { ...event, metadata: { eventId, occurredAt, recordedAt, ...rest } } as NewEvent & {
    metadata: EventMetadata;
  };
}

function fail(message: string, issues: ValidationIssue[], loc: InputLocation): never {
  const where = [loc.file, loc.line !== undefined ? `line ${loc.line}` : undefined]
    .filter(Boolean)
    .join(', ');
  const head = [where, loc.eventType].filter(Boolean).join(': ');
  throw new ValidationError(head ? `${head}: ${message}` : message, issues, loc);
}

function valueAtPath(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** The personal paths (`metadata.personal`) whose value in `data` is `null`: erased fields. */
function nullPersonalPaths(data: unknown, personal: readonly string[] | undefined): string[] {
  return (personal ?? []).filter((p) => valueAtPath(data, p) === null);
}

/** A value that satisfies the schema at an erased path (never stored: nulls are put back). */
function erasedPlaceholder(path: string): string {
  return /mail/i.test(path) ? 'erased@erased.example' : 'erased';
}

function replaceAt(data: unknown, paths: readonly string[], value: (path: string) => unknown): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as unknown;
  for (const path of paths) {
    const parts = path.split('.');
    const parent = valueAtPath(copy, parts.slice(0, -1).join('.') || '') as
      | Record<string, unknown>
      | undefined;
    const node = parts.length === 1 ? (copy as Record<string, unknown>) : parent;
    if (node && typeof node === 'object') node[parts[parts.length - 1]!] = value(path);
  }
  return copy;
}

/** What `parseEvent` returns: the event, plus the revision and position a file gave it. */
export interface ParsedEvent {
  readonly event: NewEvent & { metadata: EventMetadata };
  readonly revision?: number;
  readonly position?: number;
}

const TOP_KEYS = new Set(['streamId', 'type', 'data', 'metadata', 'revision', 'position']);

/**
 * Validate one event in the interchange shape (SPEC §3.1) and complete its metadata:
 * unknown type, missing or ill-typed fields, bad timestamps and events in the wrong stream
 * are refused with a `ValidationError` naming the location, the event type and the field path.
 * `recordedAt` defaults to `occurredAt`; `eventId` is derived from the content.
 *
 * @example parseEvent(JSON.parse(line), { file: 'log.ndjson', line: 3 })
 */
export function parseEvent(raw: unknown, loc: InputLocation = {}): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('an event must be a JSON object', [{ path: '', message: 'not an object' }], loc);
  }
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!TOP_KEYS.has(k)) fail(`unknown field "${k}"`, [{ path: k, message: 'unknown field' }], loc);
  }
  const type = obj.type;
  if (typeof type !== 'string')
    fail('field "type" is missing or not a string', [{ path: 'type', message: 'required' }], loc);
  if (!isEventType(type))
    fail(`unknown event type "${type}"`, [{ path: 'type', message: `unknown event type "${type}"` }], loc);
  const at: InputLocation = { ...loc, eventType: type };
  if (typeof obj.streamId !== 'string' || obj.streamId.length === 0) {
    fail('field "streamId" is missing or empty', [{ path: 'streamId', message: 'required' }], at);
  }
  const meta = MetadataInput.safeParse(obj.metadata);
  if (!meta.success) {
    const issues = zodIssues(meta.error, 'metadata');
    fail(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues, at);
  }
  for (const k of ['revision', 'position'] as const) {
    const v = obj[k];
    if (v !== undefined && !(Number.isSafeInteger(v) && (v as number) >= (k === 'position' ? 1 : 0))) {
      fail(
        `${k}: must be a ${k === 'position' ? 'positive' : 'non-negative'} integer`,
        [{ path: k, message: 'bad number' }],
        at,
      );
    }
  }
  const version = meta.data.schemaVersion ?? 1;
  const upcasted = upcast(type, version, obj.data);
  // An exported event whose personal fields were erased (SPEC §10) carries `null` where the
  // schema wants a string; that form is accepted only with `metadata.erased: true`, and only
  // at the personal paths the event names (`metadata.personal`).
  const erasedPaths = meta.data.erased === true ? nullPersonalPaths(upcasted, meta.data.personal) : [];
  const data = eventSchemas[type].safeParse(
    erasedPaths.length > 0 ? replaceAt(upcasted, erasedPaths, erasedPlaceholder) : upcasted,
  );
  if (!data.success) {
    const issues = zodIssues(data.error, 'data');
    fail(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues, at);
  }
  if (erasedPaths.length > 0) data.data = replaceAt(data.data, erasedPaths, () => null) as never;
  const streamId = obj.streamId as string;
  const kind = streamKindOf(type);
  const idField = streamIdField[kind];
  const expectedStream =
    idField === null ? kind : `${kind}-${(data.data as Record<string, unknown>)[idField]}`;
  if (streamId !== expectedStream) {
    fail(
      `streamId: a ${type} event belongs in stream "${expectedStream}", not "${streamId}"`,
      [{ path: 'streamId', message: `expected "${expectedStream}"` }],
      at,
    );
  }
  // Derive a missing id from the line as given (before recordedAt defaults), so it depends only on the input.
  const eventId =
    meta.data.eventId ?? deriveEventId({ streamId, type, data: obj.data, metadata: meta.data as never });
  // A fixed key order (id, clocks, then the rest as given) makes exports byte-stable across round trips.
  const metadata: Record<string, unknown> = {
    eventId,
    occurredAt: meta.data.occurredAt,
    recordedAt: meta.data.recordedAt ?? meta.data.occurredAt,
  };
  for (const [k, v] of Object.entries(meta.data)) if (v !== undefined && !(k in metadata)) metadata[k] = v;
  // The data is now in the current shape; say so, so a store never upcasts it a second time.
  const current = currentSchemaVersion(type);
  if (current > version) metadata.schemaVersion = current;
  const base = { streamId, type, data: data.data, metadata };
  return {
    event: base as unknown as NewEvent & { metadata: EventMetadata },
    ...(obj.revision !== undefined ? { revision: obj.revision as number } : {}),
    ...(obj.position !== undefined ? { position: obj.position as number } : {}),
  };
}

/**
 * Validate the data of an event built in code (what deciders and the facade append).
 * Throws a `ValidationError` naming the field path.
 */
export function validateEventData<T extends EventType>(type: T, data: unknown): LedgerEvent['data'] {
  const r = eventSchemas[type].safeParse(data);
  if (!r.success) {
    const issues = zodIssues(r.error, 'data');
    throw new ValidationError(`${type}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, {
      eventType: type,
    });
  }
  return r.data as LedgerEvent['data'];
}
