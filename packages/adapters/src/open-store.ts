import type { CheckpointStore, EventStore } from '@referral-ledger/core';
import { ValidationError } from '@referral-ledger/core';
import { getSQLiteEventStore } from './sqlite/store.ts';

/** The CLI's default store: an embedded SQLite file in the working directory. */
export const DEFAULT_STORE_PATH = './.referral-ledger/ledger.db';

/** A store the CLI can open: any event store, with checkpoints. */
export type OpenedStore = EventStore & Partial<CheckpointStore>;

/**
 * Open a store from a CLI target (SPEC §9): a SQLite file path (default
 * `./.referral-ledger/ledger.db`), a `postgres://` URL, or an `esdb://` / `kurrentdb://` URL.
 *
 * @example const store = await openStore('postgres://postgres@127.0.0.1:5432/test');
 */
export async function openStore(target: string = DEFAULT_STORE_PATH): Promise<OpenedStore> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    throw new ValidationError(`PostgreSQL targets are not supported by this build yet: ${target}`, [
      { path: '--store', message: 'unsupported' },
    ]);
  }
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent):\/\//i.test(target)) {
    throw new ValidationError(`EventStoreDB targets are not supported by this build yet: ${target}`, [
      { path: '--store', message: 'unsupported' },
    ]);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new ValidationError(
      `--store ${target}: unknown store; give a SQLite file path, a postgres:// URL, or an esdb:// / kurrentdb:// URL`,
      [{ path: '--store', message: 'unknown scheme' }],
    );
  }
  return getSQLiteEventStore({ path: target });
}
