/**
 * Append benchmark for the durable stores: one event per transaction and batches of 100,
 * printing events/second, p50/p99 append latency and peak RSS.
 *
 *   pnpm bench:append [--store sqlite|postgres|all] [--streams 10000] [--per-stream 10]
 *                     [--single 5000] [--durability full|normal]
 *
 * Batched: `streams × per-stream` events as `appendBatch` calls of 100 events (10 streams ×
 * 10 events). Single: `--single` appends of one event each, with an exact expected revision.
 */
import { flag, freshStore, percentile, report, runPhase, workload } from './store-bench-lib.ts';

const phase = flag('phase', '');
const streams = Number(flag('streams', '10000'));
const perStream = Number(flag('per-stream', '10'));
const single = Number(flag('single', '5000'));
const durability = flag('durability', 'full') as 'full' | 'normal';

async function batched(kind: string): Promise<void> {
  const { store, drop } = await freshStore(kind, { durability });
  const writes = workload(streams, perStream);
  const perBatch = Math.max(1, Math.floor(100 / perStream));
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < writes.length; i += perBatch) {
    const t = performance.now();
    await store.appendBatch(
      writes.slice(i, i + perBatch).map((w) => ({ ...w, expectedRevision: 'no-stream' as const })),
    );
    lat.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  const events = writes.length * perStream;
  report({
    cpu,
    store: kind,
    mode: `batch of ${perBatch * perStream} (${durability})`,
    events,
    seconds,
    p50ms: percentile(lat, 50),
    p99ms: percentile(lat, 99),
  });
  await drop();
}

async function singles(kind: string): Promise<void> {
  const { store, drop } = await freshStore(kind, { durability });
  const events = workload(Math.ceil(single / perStream), perStream)
    .flatMap((w) => w.events)
    .slice(0, single);
  const revs = new Map<string, number>();
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const e of events) {
    const rev = revs.get(e.streamId) ?? -1;
    const t = performance.now();
    await store.append(e.streamId, [e], { expectedRevision: rev === -1 ? 'no-stream' : rev });
    lat.push(performance.now() - t);
    revs.set(e.streamId, rev + 1);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  report({
    cpu,
    store: kind,
    mode: `single event (${durability})`,
    events: events.length,
    seconds,
    p50ms: percentile(lat, 50),
    p99ms: percentile(lat, 99),
  });
  await drop();
}

/**
 * Calibration: the same rows through a bare prepared INSERT on the same table shape and
 * pragmas, in transactions of 100, so the store's own overhead can be told apart from the
 * machine's speed (fsync latency, CPU contention).
 */
async function rawSqlite(): Promise<void> {
  const { DatabaseSync } = await import('node:sqlite');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const db = new DatabaseSync(join(mkdtempSync(join(tmpdir(), 'rl-raw-')), 'raw.db'));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${durability === 'normal' ? 'NORMAL' : 'FULL'};
    CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
      UNIQUE (stream_id, revision)) STRICT`);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const events = workload(streams, perStream).flatMap((w) => w.events);
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 100) {
    const t = performance.now();
    db.exec('BEGIN IMMEDIATE');
    for (const [j, e] of events.slice(i, i + 100).entries()) {
      insert.run(
        e.streamId,
        j % perStream,
        e.metadata.eventId!,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
      );
    }
    db.exec('COMMIT');
    lat.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  report({
    cpu,
    store: 'sqlite',
    mode: `RAW insert, tx of 100 (${durability})`,
    events: events.length,
    seconds,
    p50ms: percentile(lat, 50),
    p99ms: percentile(lat, 99),
  });
  db.close();
}

if (phase) {
  const [kind, mode] = phase.split(':');
  await (mode === 'raw' ? rawSqlite() : mode === 'single' ? singles(kind!) : batched(kind!));
} else {
  const which = flag('store', 'all');
  const kinds = which === 'all' ? ['sqlite', 'postgres'] : [which];
  const pass = process.argv.slice(2);
  for (const kind of kinds) {
    if (kind === 'sqlite') runPhase(import.meta.url, 'sqlite:raw', pass);
    runPhase(import.meta.url, `${kind}:batch`, pass);
    runPhase(import.meta.url, `${kind}:single`, pass);
  }
}
