import { eventChainHash, GENESIS_HASH, globalDigestStep, sha256Hex } from './chain.ts';
import type { IntegrityAnchor } from './store.ts';

/** An event as `verify` reads it: from a store's `readAll` or a line of an exported file. */
export interface VerifiableEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>> & { readonly eventId: string };
  readonly revision: number;
  readonly position: number;
}

/** Where the log first breaks, and how. */
export interface IntegrityBreak {
  readonly kind:
    | 'altered'
    | 'missing-or-inserted'
    | 'reordered'
    | 'sealed-field-altered'
    | 'truncated'
    | 'checkpoint-mismatch';
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  /** One line a person can act on, naming the place. */
  readonly message: string;
}

export type VerifyResult =
  | {
      readonly status: 'intact';
      readonly events: number;
      readonly streams: number;
      /** Digest over the global order at the head: record it elsewhere to anchor this state. */
      readonly head: { readonly position: number; readonly digest: string };
      readonly anchor: IntegrityAnchor | null;
    }
  | { readonly status: 'broken'; readonly events: number; readonly problem: IntegrityBreak }
  | {
      readonly status: 'unverifiable';
      readonly events: number;
      readonly withoutHash: number;
      readonly first: { readonly position: number; readonly streamId: string; readonly eventId: string };
      readonly message: string;
    };

export interface VerifyOptions {
  /** A checkpoint the log must still reproduce (from the store, or given by an auditor). */
  readonly anchor?: IntegrityAnchor | null;
  /**
   * The store's own idea of each stream's last revision (stores keep a stream table): a
   * stream whose newest events were deleted is caught even without an anchor.
   */
  readonly streamRevision?: (streamId: string) => Promise<number>;
}

function where(e: { position: number; streamId: string; revision: number; eventId: string }): string {
  return `position ${e.position}, stream ${e.streamId}, revision ${e.revision}, event ${e.eventId}`;
}

/**
 * Check a log's tamper evidence (SPEC §8): walk it in global order, recompute every event's
 * chain hash from the previous one in its stream, check revisions run 0, 1, 2… with
 * positions increasing, check sealed ciphertexts against their commitments, recompute the
 * digest over the global order and compare it with the anchor. The first problem found is
 * returned with its place; a log whose events carry no hash is `unverifiable`, never `intact`.
 *
 * @example const r = await verifyLog(readAllEvents(store), { anchor: await anchors.load() });
 */
export async function verifyLog(
  events: AsyncIterable<VerifiableEvent> | Iterable<VerifiableEvent>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const anchor = options.anchor ?? null;
  const heads = new Map<string, { revision: number; hash: string; position: number; eventId: string }>();
  let digest = GENESIS_HASH;
  let lastPosition = 0;
  let count = 0;
  let withoutHash = 0;
  let firstWithout: { position: number; streamId: string; eventId: string } | null = null;
  let anchorChecked = false;
  const broken = (problem: IntegrityBreak): VerifyResult => ({ status: 'broken', events: count, problem });

  for await (const e of events) {
    count += 1;
    const place = {
      position: e.position,
      streamId: e.streamId,
      revision: e.revision,
      eventId: typeof e.metadata.eventId === 'string' ? e.metadata.eventId : '(no id)',
    };
    if (anchor && !anchorChecked && e.position > anchor.position) {
      return broken({
        kind: 'checkpoint-mismatch',
        ...place,
        message: `${where(place)}: the checkpoint's event at position ${anchor.position} (${anchor.eventId}) is missing`,
      });
    }
    if (e.position <= lastPosition) {
      return broken({
        kind: 'reordered',
        ...place,
        message: `${where(place)}: global positions must increase, but it follows position ${lastPosition}`,
      });
    }
    lastPosition = e.position;
    const prev = heads.get(e.streamId);
    const expectedRevision = prev ? prev.revision + 1 : 0;
    if (e.revision !== expectedRevision) {
      const kind = prev && e.revision <= prev.revision ? 'reordered' : 'missing-or-inserted';
      return broken({
        kind,
        ...place,
        message: `${where(place)}: expected revision ${expectedRevision} of the stream here (${
          kind === 'reordered'
            ? 'events of the stream are out of order'
            : 'an event is missing or was inserted'
        })`,
      });
    }
    const hash = e.metadata.hash;
    if (typeof hash !== 'string') {
      withoutHash += 1;
      firstWithout ??= { position: e.position, streamId: e.streamId, eventId: place.eventId };
    } else {
      const expected = eventChainHash(prev?.hash ?? GENESIS_HASH, e);
      if (expected !== hash) {
        return broken({
          kind: 'altered',
          ...place,
          message: `${where(place)}: the event does not match its chain hash (it, or the event before it in the stream, was altered, removed or moved)`,
        });
      }
      const sealed = e.metadata.sealed as Record<string, unknown> | undefined;
      for (const [path, commitment] of Object.entries(sealed ?? {})) {
        const value = valueAt(e.data, path);
        if (typeof value === 'string' && value.startsWith('enc:') && sha256Hex(value) !== commitment) {
          return broken({
            kind: 'sealed-field-altered',
            ...place,
            message: `${where(place)}: the encrypted field data.${path} does not match its commitment`,
          });
        }
      }
    }
    heads.set(e.streamId, {
      revision: e.revision,
      hash: String(hash ?? ''),
      position: e.position,
      eventId: place.eventId,
    });
    digest = globalDigestStep(digest, e as never);
    if (anchor && e.position === anchor.position) {
      anchorChecked = true;
      if (digest !== anchor.digest || (anchor.eventId !== '' && place.eventId !== anchor.eventId)) {
        return broken({
          kind: 'checkpoint-mismatch',
          ...place,
          message: `${where(place)}: the log up to here does not reproduce the checkpoint digest (events before it were altered, removed, inserted or reordered)`,
        });
      }
    }
  }

  if (firstWithout) {
    return {
      status: 'unverifiable',
      events: count,
      withoutHash,
      first: firstWithout,
      message: `unverifiable: ${withoutHash} of ${count} events carry no chain hash (metadata.hash), the first at position ${firstWithout.position}, stream ${firstWithout.streamId}, event ${firstWithout.eventId}; the log cannot be shown intact`,
    };
  }
  if (anchor && !anchorChecked) {
    return broken({
      kind: 'truncated',
      position: anchor.position,
      streamId: '',
      revision: -1,
      eventId: anchor.eventId,
      message: `truncated: the checkpoint covers position ${anchor.position} (event ${anchor.eventId}) but the log ends at position ${lastPosition}; its newest events were removed`,
    });
  }
  if (options.streamRevision) {
    for (const [streamId, h] of heads) {
      const stored = await options.streamRevision(streamId);
      if (stored !== h.revision) {
        return broken({
          kind: 'truncated',
          position: h.position,
          streamId,
          revision: h.revision,
          eventId: h.eventId,
          message: `stream ${streamId}: the store records revision ${stored} as its last, but the log ends at revision ${h.revision} (position ${h.position}, event ${h.eventId}); events were removed`,
        });
      }
    }
  }
  return {
    status: 'intact',
    events: count,
    streams: heads.size,
    head: { position: lastPosition, digest },
    anchor,
  };
}

function valueAt(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Read an anchor given on the command line as `POSITION:DIGEST` (what `verify` prints as
 * the head checkpoint); the event id is not needed to check it.
 */
export function parseAnchor(text: string): IntegrityAnchor | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { position: Number(m[1]), digest: m[2]!, eventId: '' } : null;
}
