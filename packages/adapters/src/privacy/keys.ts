import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { LedgerError } from '@referral-ledger/core';
import type { ProjectionStateStore } from '../runner/types.ts';

/**
 * Where per-subject keys live (SPEC §10). The default keeps them in a table of the same
 * store; implement this interface to keep them in a KMS. Destroying a key is what erases a
 * subject: the ciphertexts stay in the log, unreadable.
 *
 * Keys have generations: after an erasure, personal data the subject gives again (a new
 * referral) is sealed under a new key (`<subjectId>~1`, `~2`, …), which a later erasure
 * destroys in turn; the destroyed generation is never recreated.
 */
export interface SubjectKeyStore {
  /** A key by id (a subject id, or `<subjectId>~<generation>`), or `null` once destroyed. */
  get(keyId: string): Promise<Uint8Array | null>;
  /**
   * Several keys at once (optional; `get` per id otherwise): reading a page of events
   * fetches all its keys in one query instead of one query per subject.
   */
  getMany?(keyIds: Iterable<string>): Promise<Map<string, Uint8Array | null>>;
  /**
   * Read every live key into the cache in one query (optional), before a replay of a whole
   * log, which needs nearly all of them: fetching them page by page costs a query per page.
   * Keys destroyed afterwards by another process stay readable to this key store, as keys it
   * had already cached do.
   */
  warm?(): Promise<void>;
  /** The subject's current key and its id, created (32 random bytes) on first use. */
  current(subjectId: string): Promise<{ readonly keyId: string; readonly key: Uint8Array }>;
  /** Destroy the subject's current key for good; `false` when it had none. */
  destroy(subjectId: string): Promise<boolean>;
  /** A value kept beside the keys (the store's own secret when none is configured). */
  getMeta(name: string): Promise<string | null>;
  setMeta(name: string, value: string): Promise<void>;
  /**
   * Run `fn` (which may create many keys) as one unit of work where the key store can: a bulk
   * import then commits its new keys once instead of once per subject.
   */
  batch?<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Run `fn`, whose new keys may be rolled back with it (optional): an append of chunks on
   * SQLite writes them inside its transaction. Keys `fn` creates or reads are cached for its
   * own calls at once, for any other caller only once `fn` resolves; if it throws they are
   * forgotten, so no later event is sealed under a key that was never stored.
   */
  staged?<T>(fn: () => Promise<T>): Promise<T>;
}

const KEY_VERSION = 'v1';
const keyName = (keyId: string) => `privacy-key:${keyId}`;

/**
 * Where the default key store (`tableKeyStore`) keeps a key: the projection row's name and
 * version. A reader of the same database (the SQLite read-ahead worker) looks keys up there.
 */
export const TABLE_KEY_ROW = { version: KEY_VERSION, name: keyName } as const;
const genName = (subjectId: string) => `privacy-generation:${subjectId}`;
const metaName = (name: string) => `privacy-meta:${name}`;
const keyIdOf = (subjectId: string, generation: number) =>
  generation === 0 ? subjectId : `${subjectId}~${generation}`;

/**
 * The default key store: rows of the store's projection-state table (SQLite, PostgreSQL),
 * so keys share the store's backups, transactions and access control. The generation row
 * left by an erasure holds no key material.
 */
export function tableKeyStore(
  store: ProjectionStateStore,
  options: { batch?: <T>(fn: () => Promise<T>) => Promise<T> } = {},
): SubjectKeyStore {
  const cache = new Map<string, Uint8Array>();
  // Keys cached inside `staged`: seen by its own calls, moved to `cache` once it resolves.
  const staging = new AsyncLocalStorage<Map<string, Uint8Array>>();
  const cached = (keyId: string) => staging.getStore()?.get(keyId) ?? cache.get(keyId);
  const remember = (keyId: string, key: Uint8Array) => (staging.getStore() ?? cache).set(keyId, key);
  const generation = async (subjectId: string) =>
    Number((await store.loadProjection(genName(subjectId), KEY_VERSION))?.state ?? 0);
  const self: SubjectKeyStore = {
    async get(keyId) {
      const hit = cached(keyId);
      if (hit) return hit;
      const row = await store.loadProjection(keyName(keyId), KEY_VERSION);
      const key = row ? new Uint8Array(Buffer.from(row.state, 'base64')) : null;
      // Only keys are cached: a key another process creates later is still found.
      if (key) remember(keyId, key);
      return key;
    },
    async getMany(keyIds) {
      const out = new Map<string, Uint8Array | null>();
      const missing: string[] = [];
      for (const id of keyIds) {
        const hit = cached(id);
        if (hit) out.set(id, hit);
        else missing.push(id);
      }
      if (missing.length === 0) return out;
      if (!store.loadProjections) {
        // One query per key, all under way at once.
        const got = await Promise.all(missing.map((id) => self.get(id)));
        for (let i = 0; i < missing.length; i++) out.set(missing[i]!, got[i]!);
        return out;
      }
      const rows = await store.loadProjections(missing.map(keyName), KEY_VERSION);
      for (const id of missing) {
        const row = rows.get(keyName(id));
        const key = row ? new Uint8Array(Buffer.from(row.state, 'base64')) : null;
        if (key) remember(id, key);
        out.set(id, key);
      }
      return out;
    },
    ...(store.loadProjectionsByPrefix
      ? {
          async warm() {
            const prefix = keyName('');
            const rows = await store.loadProjectionsByPrefix!(prefix, KEY_VERSION);
            for (const [name, row] of rows)
              remember(name.slice(prefix.length), new Uint8Array(Buffer.from(row.state, 'base64')));
          },
        }
      : {}),
    async current(subjectId) {
      const keyId = keyIdOf(subjectId, await generation(subjectId));
      const existing = await self.get(keyId);
      if (existing) return { keyId, key: existing };
      const key = new Uint8Array(randomBytes(32));
      await store.saveProjection(keyName(keyId), KEY_VERSION, 0, Buffer.from(key).toString('base64'));
      remember(keyId, key);
      return { keyId, key };
    },
    async destroy(subjectId) {
      const gen = await generation(subjectId);
      const keyId = keyIdOf(subjectId, gen);
      const had = (await self.get(keyId)) !== null;
      await store.saveProjection(genName(subjectId), KEY_VERSION, 0, String(gen + 1));
      await store.dropProjectionVersion(keyName(keyId), KEY_VERSION);
      cache.delete(keyId);
      staging.getStore()?.delete(keyId);
      return had;
    },
    async getMeta(name) {
      return (await store.loadProjection(metaName(name), KEY_VERSION))?.state ?? null;
    },
    async setMeta(name, value) {
      await store.saveProjection(metaName(name), KEY_VERSION, 0, value);
    },
    ...(options.batch ? { batch: options.batch } : {}),
    async staged(fn) {
      // Nested: part of the enclosing unit, which decides.
      if (staging.getStore()) return fn();
      const mine = new Map<string, Uint8Array>();
      const r = await staging.run(mine, fn);
      for (const [keyId, key] of mine) cache.set(keyId, key);
      return r;
    },
  };
  return self;
}

/**
 * A `batch` for a SQLite connection: one `BEGIN IMMEDIATE … COMMIT` around the work (nothing
 * when a transaction is already open), rolled back if it throws.
 *
 * @deprecated It holds the transaction on the bare connection across awaits, so an append
 * through the store started meanwhile fails as "busy". Use the store's own
 * `SQLiteEventStore.transaction(fn)` (what `openStore` does), which makes other calls wait.
 */
export function sqliteBatch(db: {
  exec(sql: string): void;
  readonly isTransaction: boolean;
}): <T>(fn: () => Promise<T>) => Promise<T> {
  return async (fn) => {
    if (db.isTransaction) return fn();
    db.exec('BEGIN IMMEDIATE');
    try {
      const r = await fn();
      db.exec('COMMIT');
      return r;
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw e;
    }
  };
}

/** Keys in memory: tests, and the ephemeral replay of a file. */
export function memoryKeyStore(): SubjectKeyStore {
  const keys = new Map<string, Uint8Array>();
  const generations = new Map<string, number>();
  const meta = new Map<string, string>();
  return {
    get: async (keyId) => keys.get(keyId) ?? null,
    async current(subjectId) {
      const keyId = keyIdOf(subjectId, generations.get(subjectId) ?? 0);
      let key = keys.get(keyId);
      if (!key) {
        key = new Uint8Array(randomBytes(32));
        keys.set(keyId, key);
      }
      return { keyId, key };
    },
    async destroy(subjectId) {
      const gen = generations.get(subjectId) ?? 0;
      generations.set(subjectId, gen + 1);
      return keys.delete(keyIdOf(subjectId, gen));
    },
    getMeta: async (n) => meta.get(n) ?? null,
    setMeta: async (n, v) => {
      meta.set(n, v);
    },
  };
}

/** The prefix of a sealed value: `enc:v1:<keyId>:<base64url(iv ‖ ciphertext ‖ tag)>`. */
export const SEALED_PREFIX = 'enc:v1:';

/**
 * Encrypt one personal value under the subject's key with AES-256-GCM. The IV is synthetic
 * (HMAC of event id, path and value under the key), so sealing the same event twice gives
 * the same ciphertext: idempotent appends and re-imports still recognise it. The field path
 * is authenticated, so a ciphertext cannot be moved to another field.
 */
export function sealValue(
  key: Uint8Array,
  keyId: string,
  path: string,
  value: string,
  eventId: string,
): string {
  const iv = createHmac('sha256', key)
    .update(`${eventId}\n${path}\n${value}`, 'utf8')
    .digest()
    .subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(path, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  return `${SEALED_PREFIX}${keyId}:${sealed}`;
}

/** The key id a sealed value names, or `null` for a value that is not sealed. */
export function sealedKeyId(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith(SEALED_PREFIX)) return null;
  const rest = value.slice(SEALED_PREFIX.length);
  const i = rest.indexOf(':');
  return i > 0 ? rest.slice(0, i) : null;
}

/** Decrypt a sealed value; throws `privacy.sealed-value-invalid` when it was altered. */
export function openValue(key: Uint8Array, path: string, sealed: string): string {
  const rest = sealed.slice(SEALED_PREFIX.length);
  const raw = Buffer.from(rest.slice(rest.indexOf(':') + 1), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(path, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch (e) {
    throw new LedgerError(
      'privacy.sealed-value-invalid',
      `the encrypted field ${path} does not decrypt: it was altered`,
      {
        cause: e,
      },
    );
  }
}
