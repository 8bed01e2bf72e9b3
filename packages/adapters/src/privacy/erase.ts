import { type EventStore, LedgerError, type NewEvent, ValidationError } from '@referral-ledger/core';
import type { PrivateStore } from './store.ts';

export interface EraseRequest {
  /** The subject: its id, or an email to derive it from. */
  readonly subjectId?: string;
  readonly email?: string;
  /** Who asked (a person or a ticket). */
  readonly requestedBy: string;
  readonly reason: string;
  /** Business time of the erasure (default: now). */
  readonly occurredAt?: string;
}

export interface EraseResult {
  readonly subjectId: string;
  /** Whether a key was held for the subject (false: nothing personal was stored under it). */
  readonly keyDestroyed: boolean;
  /** Global position of the `SubjectErased` event. */
  readonly position: number | null;
}

/**
 * Erase a data subject (SPEC §10): record `SubjectErased` in `subject-<id>`, then destroy the
 * subject's key, so every personal field sealed under it reads as `null` from then on while
 * every other fact (and every figure) is untouched. `scrub` then removes what the store's
 * files may still hold of the key (SQLite: freed pages and the WAL).
 *
 * @example await eraseSubject(store, { email: 'ana@acme.example', requestedBy: 'dpo', reason: 'GDPR art. 17' })
 */
export async function eraseSubject(
  store: PrivateStore<EventStore>,
  request: EraseRequest,
  scrub?: () => Promise<void>,
): Promise<EraseResult> {
  if ((request.subjectId === undefined) === (request.email === undefined)) {
    throw new ValidationError('erase needs exactly one of an email or a subject id', [
      { path: 'subject', message: 'give --email or --subject' },
    ]);
  }
  for (const [k, v] of [
    ['requestedBy', request.requestedBy],
    ['reason', request.reason],
  ] as const) {
    if (typeof v !== 'string' || v.trim() === '') {
      throw new ValidationError(`erase needs ${k === 'requestedBy' ? '--by WHO' : '--reason R'}`, [
        { path: k, message: 'required' },
      ]);
    }
  }
  if (request.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(request.email.trim())) {
    throw new ValidationError(`--email ${request.email}: not an email address`, [
      { path: 'email', message: 'bad email' },
    ]);
  }
  const subjectId = request.subjectId ?? (await store.privacy.subjectIdFor(request.email!));
  if (subjectId.includes('@')) {
    throw new LedgerError(
      'subject.personal-data-in-id',
      'a subject id never contains an email; use --email instead',
    );
  }
  const streamId = `subject-${subjectId}`;
  const event = {
    streamId,
    type: 'SubjectErased',
    data: { subjectId, requestedBy: request.requestedBy, reason: request.reason },
    metadata: { occurredAt: request.occurredAt ?? new Date().toISOString() },
  } as unknown as NewEvent;
  const r = await store.append(streamId, [event]);
  const keyDestroyed = await store.privacy.keys.destroy(subjectId);
  if (scrub) await scrub();
  return { subjectId, keyDestroyed, position: r.positions[0] ?? null };
}

/**
 * The scrub step for a SQLite store: with `secure_delete` the freed pages of the destroyed
 * key are zeroed, the WAL is checkpointed and truncated, and `VACUUM` rewrites the file.
 */
export function sqliteScrub(db: { exec(sql: string): void }): () => Promise<void> {
  return async () => {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  };
}
