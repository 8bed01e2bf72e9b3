import type { CheckpointStore, EventStore } from '@referral-ledger/core';
import { ValidationError } from '@referral-ledger/core';
import type { ProjectionStateStore } from './runner/types.ts';
import { withIntegrity } from './integrity/store.ts';
import { sqliteScrub } from './privacy/erase.ts';
import { sqliteBatch, tableKeyStore } from './privacy/keys.ts';
import { type PrivateStore, withPrivacy } from './privacy/store.ts';
import { getSQLiteEventStore } from './sqlite/store.ts';

/** The CLI's default store: an embedded SQLite file in the working directory. */
export const DEFAULT_STORE_PATH = './.referral-ledger/ledger.db';

/** A store the CLI can open: any event store, with checkpoints and projection snapshots. */
export type OpenedStore = EventStore & Partial<CheckpointStore> & Partial<ProjectionStateStore>;

/** Which kind of store a `--store` target names. */
export function storeKindOf(target: string): 'sqlite' | 'postgres' | 'eventstoredb' {
  if (/^postgres(ql)?:\/\//i.test(target)) return 'postgres';
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent):\/\//i.test(target))
    return 'eventstoredb';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new ValidationError(
      `--store ${target}: unknown store; give a SQLite file path, a postgres:// URL, or an esdb:// / kurrentdb:// URL`,
      [{ path: '--store', message: 'unknown scheme' }],
    );
  }
  return 'sqlite';
}

/**
 * Open a store from a CLI target (SPEC §9): a SQLite file path (default
 * `./.referral-ledger/ledger.db`), a `postgres://` URL (schema from `?schema=`, default
 * `referral_ledger`; `?prepared=false` turns off prepared statements), or an `esdb://` /
 * `kurrentdb://` URL. Drivers load only when needed, so the CLI starts fast and `pg` /
 * `@eventstore/db-client` stay optional.
 *
 * @example const store = await openStore('postgres://postgres@127.0.0.1:5432/test');
 */
export async function openStore(
  target: string = DEFAULT_STORE_PATH,
  options: OpenStoreOptions = {},
): Promise<OpenedStore & Partial<PrivateStore<EventStore>>> {
  const raw = await openRawStore(target);
  const db = (raw as { db?: { exec(sql: string): void; readonly isTransaction: boolean } }).db;
  // Freed pages (a destroyed key) are overwritten with zeros, not left in the file.
  if (db) db.exec('PRAGMA secure_delete = ON');
  // Every store the CLI opens chains what it appends (SPEC §8 Integrity) ...
  const chained = withIntegrity(raw);
  if (typeof raw.loadProjection !== 'function' || typeof raw.saveProjection !== 'function') return chained;
  // ... and seals personal fields before they reach it (SPEC §10), keys in the same store.
  return withPrivacy(chained, {
    keys: tableKeyStore(raw as OpenedStore & ProjectionStateStore, db ? { batch: sqliteBatch(db) } : {}),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
}

export interface OpenStoreOptions {
  /** The ledger's secret (default: `REFERRAL_LEDGER_SECRET`, else the store's own). */
  readonly secret?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** How to scrub a store's files after an erasure (SQLite: WAL checkpoint and VACUUM). */
export function scrubberFor(store: EventStore): (() => Promise<void>) | undefined {
  const db = (store as { db?: { exec(sql: string): void } }).db;
  return db ? sqliteScrub(db) : undefined;
}

/**
 * Open a store from a CLI target without the integrity layer: what `verify` reads, and
 * what tests tamper with. Appends through it are not chained; use `openStore`.
 */
export async function openRawStore(target: string = DEFAULT_STORE_PATH): Promise<OpenedStore> {
  const kind = storeKindOf(target);
  if (kind === 'postgres') {
    const url = new URL(target);
    const schema = url.searchParams.get('schema') ?? undefined;
    // `?prepared=false` behind PgBouncer in transaction mode (see docs/stores/postgres.md).
    const prepared = url.searchParams.get('prepared');
    url.searchParams.delete('schema');
    url.searchParams.delete('prepared');
    const { getPostgreSQLEventStore } = await import('./postgres/store.ts');
    return getPostgreSQLEventStore({
      connectionString: url.toString(),
      ...(schema ? { schema } : {}),
      ...(prepared === 'false' ? { preparedStatements: false } : {}),
    });
  }
  if (kind === 'eventstoredb') {
    const { getEventStoreDBEventStore } = await import('./eventstoredb/store.ts');
    return getEventStoreDBEventStore(target);
  }
  return getSQLiteEventStore({ path: target });
}
