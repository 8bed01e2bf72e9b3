/**
 * The floor under the SQLite store: a bare `node:sqlite` loop (no ledger code) inserting
 * prebuilt rows into the store's `events` table shape in transactions of 100, under
 * variants of the pragmas and of the schema, so you can see what the disk and SQLite
 * themselves allow before blaming (or crediting) the store.
 *
 *   pnpm bench:sqlite-floor [--rows 100000] [--variants full,full+ckpt,normal+ckpt,off+ckpt,full+ckpt+noid]
 *
 * Variant parts:
 * - `full` | `normal` | `off`: `PRAGMA synchronous`;
 * - `ckpt`: `wal_autocheckpoint` of ~16 MB (4000 pages of 4 KiB, as the store set it up to schema 3);
 * - `page1k` … `page64k`: `page_size` (default 4 KiB);
 * - `cache`: a 64 MiB page cache; `mmap`: `mmap_size` of 256 MiB;
 * - the idempotency key: the 36-character TEXT `event_id` UNIQUE (default), `blob` (the UUID
 *   as a 16-byte BLOB, UNIQUE), `noid` (no event-id index at all — for comparison only);
 * - `multi`: one 100-row `INSERT … VALUES (…), (…)` per transaction instead of 100 single-row ones;
 * - `defer10k` (any `deferNk`, with `blob+noid`): the store's schema-4 scheme — no index on the
 *   events' ids, which go into a separate `(id) → position` index in sorted runs of N thousand.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { flag, report } from './store-bench-lib.ts';

const rows = Number(flag('rows', '100000'));
const variants = flag('variants', 'full,full+ckpt,normal+ckpt,off+ckpt,full+ckpt+noid').split(',');

type Param = string | number | Uint8Array;

function run(variant: string): void {
  const parts = new Set(variant.split('+'));
  const dir = mkdtempSync(join(tmpdir(), 'rl-floor-'));
  const db = new DatabaseSync(join(dir, 'floor.db'));
  const pagePart = [...parts].find((p) => /^page\d+k$/.test(p));
  const page = pagePart ? Number(pagePart.slice(4, -1)) * 1024 : 4096;
  db.exec(`PRAGMA page_size = ${page}`);
  const sync = parts.has('off') ? 'OFF' : parts.has('normal') ? 'NORMAL' : 'FULL';
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync}`);
  if (parts.has('ckpt')) db.exec(`PRAGMA wal_autocheckpoint = ${Math.round((16_000 * 1024) / page)}`);
  if (parts.has('cache')) db.exec('PRAGMA cache_size = -65536');
  if (parts.has('mmap')) db.exec('PRAGMA mmap_size = 268435456');
  const blob = parts.has('blob');
  const idType = blob ? 'BLOB' : 'TEXT';
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id ${idType} NOT NULL ${parts.has('noid') ? '' : 'UNIQUE'}, type TEXT NOT NULL, data TEXT NOT NULL,
    metadata TEXT NOT NULL, UNIQUE (stream_id, revision)) STRICT`);
  const cols = '(stream_id, revision, event_id, type, data, metadata)';
  const multi = parts.has('multi');
  const insert = db.prepare(
    `INSERT INTO events ${cols} VALUES ${Array.from({ length: multi ? 100 : 1 }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
  );
  const data = JSON.stringify({ partnerId: 'P-1', tier: 'gold', reason: 'annual review' });
  const prebuilt: Param[][] = [];
  for (let i = 0; i < rows; i++) {
    const id = randomUUID();
    const metadata = JSON.stringify({ eventId: id, occurredAt: '2026-02-01T00:00:00.000Z' });
    const key = blob ? Buffer.from(id.replaceAll('-', ''), 'hex') : id;
    prebuilt.push([`partner-P-${Math.floor(i / 10)}`, i % 10, key, 'PartnerTierChanged', data, metadata]);
  }
  const cpu0 = process.cpuUsage();
  const defer = [...parts].find((p) => /^defer\d+k$/.test(p));
  const every = defer ? Number(defer.slice(5, -1)) * 1000 : 0;
  db.exec('CREATE TABLE ids (k BLOB PRIMARY KEY, position INTEGER NOT NULL) STRICT, WITHOUT ROWID');
  const addId = db.prepare('INSERT INTO ids (k, position) VALUES (?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < rows; i += 100) {
    db.exec('BEGIN IMMEDIATE');
    const chunk = prebuilt.slice(i, i + 100);
    if (multi && chunk.length === 100) insert.run(...chunk.flat());
    else for (const r of chunk) insert.run(...r);
    if (every && (i + 100) % every === 0) {
      const keys = prebuilt
        .slice(i + 100 - every, i + 100)
        .map((r, j) => [r[2] as Uint8Array, i + 100 - every + j + 1] as const)
        .sort((a, b) => Buffer.compare(a[0], b[0]));
      for (const [k, pos] of keys) addId.run(k, pos);
    }
    db.exec('COMMIT');
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  report({ store: 'sqlite', mode: `floor ${variant}`, events: rows, seconds, cpu });
}

for (const v of variants) run(v);
