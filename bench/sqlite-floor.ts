/**
 * The floor under the SQLite store: a bare `node:sqlite` loop (no ledger code) inserting
 * prebuilt rows into the store's `events` table shape in transactions of 100, under
 * variants of the pragmas and of the schema, so you can see what the disk and SQLite
 * themselves allow before blaming (or crediting) the store.
 *
 *   pnpm bench:sqlite-floor [--rows 100000] [--variants full,full+ckpt,normal+ckpt,off+ckpt,full+ckpt+noid]
 *
 * Variant parts: `full` | `normal` | `off` (synchronous), `ckpt` (wal_autocheckpoint 4000,
 * as the store sets it), `noid` (drop the UNIQUE event_id index the store needs for
 * idempotency — for comparison only), `page1k` (page_size 1024), `cache` (64 MB page cache).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { flag, report } from './store-bench-lib.ts';

const rows = Number(flag('rows', '100000'));
const variants = flag('variants', 'full,full+ckpt,normal+ckpt,off+ckpt,full+ckpt+noid').split(',');

function run(variant: string): void {
  const parts = new Set(variant.split('+'));
  const dir = mkdtempSync(join(tmpdir(), 'rl-floor-'));
  const db = new DatabaseSync(join(dir, 'floor.db'));
  if (parts.has('page1k')) db.exec('PRAGMA page_size = 1024');
  const sync = parts.has('off') ? 'OFF' : parts.has('normal') ? 'NORMAL' : 'FULL';
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync}`);
  if (parts.has('ckpt')) db.exec('PRAGMA wal_autocheckpoint = 4000');
  if (parts.has('cache')) db.exec('PRAGMA cache_size = -65536');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id TEXT NOT NULL ${parts.has('noid') ? '' : 'UNIQUE'}, type TEXT NOT NULL, data TEXT NOT NULL,
    metadata TEXT NOT NULL, UNIQUE (stream_id, revision)) STRICT`);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const data = JSON.stringify({ partnerId: 'P-1', tier: 'gold', reason: 'annual review' });
  const prebuilt: [string, number, string, string, string, string][] = [];
  for (let i = 0; i < rows; i++) {
    const id = randomUUID();
    const metadata = JSON.stringify({ eventId: id, occurredAt: '2026-02-01T00:00:00.000Z' });
    prebuilt.push([`partner-P-${Math.floor(i / 10)}`, i % 10, id, 'PartnerTierChanged', data, metadata]);
  }
  const t0 = performance.now();
  for (let i = 0; i < rows; i += 100) {
    db.exec('BEGIN IMMEDIATE');
    for (const r of prebuilt.slice(i, i + 100)) insert.run(...r);
    db.exec('COMMIT');
  }
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  report({ store: 'sqlite', mode: `floor ${variant}`, events: rows, seconds });
}

for (const v of variants) run(v);
