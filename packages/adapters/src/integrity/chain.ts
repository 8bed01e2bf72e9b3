import { createHash } from 'node:crypto';
import { canonicalJson } from '@referral-ledger/core';

/**
 * The hash every stream's chain starts from: the "previous hash" of revision 0.
 * 64 zeros, so a chain hash is always 64 lower-case hex characters.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The parts of an event the chain hash covers (SPEC §8 Integrity). */
export interface ChainedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Paths (dotted, from `data`) of an event's personal fields, listed by the privacy layer in
 * `metadata.personal`. The chain covers the list but not the values: a value is stored
 * encrypted and reads as plaintext, or as `null` once its subject is erased, and none of
 * these may change the hash (SPEC §8: a lawful erasure does not break verification).
 */
export function personalPaths(metadata: Readonly<Record<string, unknown>>): readonly string[] {
  const p = metadata.personal;
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
}

/** A deep copy of `data` with the value at each dotted path replaced by `null`. */
export function redactPaths(data: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return data;
  const copy = JSON.parse(JSON.stringify(data)) as unknown;
  for (const path of paths) {
    const parts = path.split('.');
    let node: unknown = copy;
    for (let i = 0; i < parts.length - 1 && node !== null && typeof node === 'object'; i += 1) {
      node = (node as Record<string, unknown>)[parts[i]!];
    }
    const last = parts[parts.length - 1]!;
    if (node !== null && typeof node === 'object' && last in (node as object)) {
      (node as Record<string, unknown>)[last] = null;
    }
  }
  return copy;
}

/** SHA-256 of a UTF-8 string, lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The canonical text the chain hash covers: stream, revision, type, data (personal fields
 * as `null`) and metadata without what describes the stored copy rather than the event:
 * `hash`, `erased`, and the privacy layer's `sealed` commitments and `match` keys (both
 * depend on the store's keys and secret, so the same event hashes the same in every store
 * and in an export). Not the global position:
 * it is assigned by the store after the hash is computed; the global order is covered by
 * checkpoint digests instead (see `globalDigestStep`).
 */
export function chainContent(e: ChainedEvent): string {
  const { hash: _hash, erased: _erased, sealed: _sealed, match: _match, ...metadata } = e.metadata;
  return canonicalJson({
    streamId: e.streamId,
    revision: e.revision,
    type: e.type,
    data: redactPaths(e.data, personalPaths(e.metadata)),
    metadata,
  });
}

/**
 * The chain hash of an event: SHA-256 over the previous event's hash in its stream
 * (`GENESIS_HASH` for revision 0) and the event's canonical content.
 *
 * @example eventChainHash(GENESIS_HASH, { streamId: 'fx', revision: 0, type: 'FxRateRecorded', data, metadata })
 */
export function eventChainHash(previous: string, e: ChainedEvent): string {
  return sha256Hex(`${previous}\n${chainContent(e)}`);
}

/**
 * One step of the digest over the global order: the digest after the event at `position`.
 * A checkpoint (anchor) keeps the digest at a position; recomputing it from the log
 * detects events removed, inserted or reordered before that position, and a log whose head
 * is below the anchor has lost its newest events.
 */
export function globalDigestStep(
  previous: string,
  e: { position: number; metadata: { eventId: string; hash?: unknown } },
): string {
  return sha256Hex(`${previous}\n${e.position}\n${e.metadata.eventId}\n${String(e.metadata.hash ?? '')}`);
}
