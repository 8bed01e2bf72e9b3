/**
 * Where the store replay's read phase goes (issue #4): read a SQLite store filled by
 * `pnpm bench:replay --store sqlite` page by page and time each step the CLI's store stack
 * takes per event, separately — fetching the rows (`node:sqlite`, rows as arrays), parsing
 * the two JSON columns and building the events, looking up the subjects' keys, opening the
 * sealed personal fields (AES-256-GCM), and `LedgerModel.apply` — then the cost of one
 * decryption done in several ways on a sample of the sealed values.
 *
 *   pnpm bench:read-breakdown [--store bench/out/replay-1000000-seed42.db] [--page 5000]
 *
 * Each step is timed around its own loop over the page (wall and CPU of this thread's
 * process), so the sum is close to a plain read; the figures are per event of the log.
 */
import { createDecipheriv, createSecretKey, type KeyObject, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { getPath, sealedKeyId, tableKeyStore } from '../packages/adapters/src/privacy/index.ts';
import { openValue, SEALED_PREFIX } from '../packages/adapters/src/privacy/keys.ts';
import { openSealedEvent } from '../packages/adapters/src/privacy/store.ts';
import { getSQLiteEventStore } from '../packages/adapters/src/sqlite/store.ts';
import { personalPaths } from '../packages/adapters/src/integrity/chain.ts';
import { type RecordedEvent, upcastStored } from '../packages/core/src/index.ts';
import { LedgerModel } from '../packages/projections/src/index.ts';
import { flag } from './store-bench-lib.ts';

const path = flag('store', join(import.meta.dirname, 'out', 'replay-1000000-seed42.db'));
const pageSize = Number(flag('page', '5000'));

const db = new DatabaseSync(path, { readOnly: true });
const stmt = db.prepare(
  'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
);
(stmt as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
// The key store reads the same file's projection table through the store.
const store = getSQLiteEventStore({ path });
const keys = tableKeyStore(store);

type Row = [number, string, number, string, string, string];
interface Step {
  wall: number;
  cpu: number;
}
const steps: Record<string, Step> = {};
function timed<T>(name: string, fn: () => T): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const s = steps[name] ?? { wall: 0, cpu: 0 };
  steps[name] = s;
  s.wall += performance.now() - t0;
  const c = process.cpuUsage(c0);
  s.cpu += (c.user + c.system) / 1000;
  return r;
}
async function timedAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const s = steps[name] ?? { wall: 0, cpu: 0 };
  steps[name] = s;
  s.wall += performance.now() - t0;
  const c = process.cpuUsage(c0);
  s.cpu += (c.user + c.system) / 1000;
  return r;
}

const model = new LedgerModel({ asOf: '2026-06-30T00:00:00Z' });
let n = 0;
let sealedEvents = 0;
let sealedFields = 0;
const keyIds = new Set<string>();
const sample: { key: Uint8Array; path: string; value: string }[] = [];
let after = 0;
for (;;) {
  const rows = timed(
    '1 fetch rows (node:sqlite, arrays)',
    () => stmt.all(after, pageSize) as unknown as Row[],
  );
  if (rows.length === 0) break;
  const events = timed('2 JSON.parse data + metadata, build event', () =>
    rows.map((r) =>
      upcastStored({
        streamId: r[1],
        type: r[3],
        data: JSON.parse(r[4]),
        metadata: JSON.parse(r[5]),
        revision: r[2],
        position: r[0],
      } as RecordedEvent),
    ),
  );
  const ids = timed('3a find sealed fields and key ids', () => {
    const ids = new Set<string>();
    for (const e of events) {
      const paths = personalPaths(e.metadata);
      if (paths.length > 0) sealedEvents += 1;
      for (const p of paths) {
        const id = sealedKeyId(getPath(e.data, p));
        if (id !== null) {
          ids.add(id);
          sealedFields += 1;
        }
      }
    }
    return ids;
  });
  for (const id of ids) keyIds.add(id);
  const found = await timedAsync('3b fetch keys (getMany, one query per page)', () => keys.getMany!(ids));
  const opened = timed('4 decrypt sealed fields + copy event', () =>
    events.map((e) => openSealedEvent(e, found)),
  );
  if (sample.length < 60_000)
    for (const e of events)
      for (const p of personalPaths(e.metadata)) {
        const v = getPath(e.data, p) as string;
        const key = found.get(sealedKeyId(v)!);
        if (key) sample.push({ key, path: p, value: v });
      }
  timed('5 model.apply', () => {
    for (const e of opened) model.apply(e);
  });
  n += rows.length;
  after = rows[rows.length - 1]![0];
}

console.log(
  `${path}: ${n.toLocaleString('en-US')} events in pages of ${pageSize}; ${sealedEvents.toLocaleString('en-US')} with sealed fields, ${sealedFields.toLocaleString('en-US')} sealed fields, ${keyIds.size.toLocaleString('en-US')} subject keys`,
);
let tw = 0;
let tc = 0;
for (const [name, s] of Object.entries(steps)) {
  tw += s.wall;
  tc += s.cpu;
  console.log(
    `  ${name.padEnd(46)} ${(s.wall / 1000).toFixed(2).padStart(6)} s wall ${(s.cpu / 1000).toFixed(2).padStart(6)} s CPU  ${((s.wall * 1000) / n).toFixed(2).padStart(6)} µs/event`,
  );
}
console.log(
  `  ${'sum'.padEnd(46)} ${(tw / 1000).toFixed(2).padStart(6)} s wall ${(tc / 1000).toFixed(2).padStart(6)} s CPU  ${((tw * 1000) / n).toFixed(2).padStart(6)} µs/event`,
);

// One decryption, several ways, on the same sample (µs per sealed field).
function perField(name: string, fn: () => void): void {
  fn(); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const w = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(
    `  ${name.padEnd(62)} ${((w * 1000) / sample.length).toFixed(2).padStart(6)} µs wall ${(((c.user + c.system) * 1) / sample.length).toFixed(2).padStart(6)} µs CPU`,
  );
}
console.log(`one sealed field opened, ${sample.length.toLocaleString('en-US')} fields:`);
perField('openValue (createDecipheriv with the key bytes)', () => {
  for (const s of sample) openValue(s.key, s.path, s.value);
});
const keyObjects = new Map<Uint8Array, KeyObject>();
const keyObjectOf = (k: Uint8Array) => {
  let o = keyObjects.get(k);
  if (!o) {
    o = createSecretKey(k);
    keyObjects.set(k, o);
  }
  return o;
};
perField('createDecipheriv with a cached KeyObject', () => {
  for (const s of sample) {
    const rest = s.value.slice(SEALED_PREFIX.length);
    const raw = Buffer.from(rest.slice(rest.indexOf(':') + 1), 'base64url');
    const d = createDecipheriv('aes-256-gcm', keyObjectOf(s.key), raw.subarray(0, 12));
    d.setAAD(Buffer.from(s.path, 'utf8'));
    d.setAuthTag(raw.subarray(raw.length - 16));
    d.update(raw.subarray(12, raw.length - 16), undefined, 'utf8');
    d.final('utf8');
  }
});
perField('base64url decode only', () => {
  for (const s of sample) {
    const rest = s.value.slice(SEALED_PREFIX.length);
    Buffer.from(rest.slice(rest.indexOf(':') + 1), 'base64url');
  }
});
perField('createDecipheriv + setAAD + setAuthTag, no update/final', () => {
  for (const s of sample) {
    const d = createDecipheriv('aes-256-gcm', s.key, new Uint8Array(12));
    d.setAAD(Buffer.from(s.path, 'utf8'));
  }
});
{
  const subtle = webcrypto.subtle;
  const imported = new Map<Uint8Array, webcrypto.CryptoKey>();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < sample.length; i += 5000) {
    const chunk = sample.slice(i, i + 5000);
    await Promise.all(
      chunk.map(async (s) => {
        let k = imported.get(s.key);
        if (!k) {
          k = await subtle.importKey('raw', s.key, 'AES-GCM', false, ['decrypt']);
          imported.set(s.key, k);
        }
        const rest = s.value.slice(SEALED_PREFIX.length);
        const raw = Buffer.from(rest.slice(rest.indexOf(':') + 1), 'base64url');
        return new TextDecoder().decode(
          await subtle.decrypt(
            { name: 'AES-GCM', iv: raw.subarray(0, 12), additionalData: Buffer.from(s.path, 'utf8') },
            k,
            raw.subarray(12),
          ),
        );
      }),
    );
  }
  const w = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(
    `  ${'webcrypto subtle.decrypt (import once per key, 5,000 at a time)'.padEnd(62)} ${((w * 1000) / sample.length).toFixed(2).padStart(6)} µs wall ${((c.user + c.system) / sample.length).toFixed(2).padStart(6)} µs CPU`,
  );
}
db.close();
await store.close();
