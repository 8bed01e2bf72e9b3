/**
 * Replay benchmark for the durable stores: fill a store with `streams × per-stream` events
 * (batched appends), then time (1) reading the whole log page by page and (2) reading it
 * and folding every event into the replay model (`LedgerModel`, the input of every view),
 * printing events/second and peak RSS.
 *
 *   pnpm bench:store-replay [--store sqlite|postgres|all] [--streams 10000] [--per-stream 10]
 */
import { type EventStore, readAllEvents } from '../packages/core/src/index.ts';
import { LedgerModel } from '../packages/projections/src/index.ts';
import { flag, freshStore, report, runPhase, workload } from './store-bench-lib.ts';

const phase = flag('phase', '');
const streams = Number(flag('streams', '10000'));
const perStream = Number(flag('per-stream', '10'));

async function fill(store: EventStore): Promise<number> {
  const writes = workload(streams, perStream);
  const perBatch = Math.max(1, Math.floor(1000 / perStream));
  for (let i = 0; i < writes.length; i += perBatch) await store.appendBatch(writes.slice(i, i + perBatch));
  return writes.length * perStream;
}

async function replay(kind: string, mode: string): Promise<void> {
  const { store, drop } = await freshStore(kind, { durability: 'normal' });
  const total = await fill(store);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  if (mode === 'read') {
    for await (const _ of readAllEvents(store, { pageSize: 5000 })) n += 1;
  } else {
    const model = new LedgerModel({ asOf: '2100-01-01T00:00:00Z' });
    for await (const e of readAllEvents(store, { pageSize: 5000 })) {
      model.apply(e);
      n += 1;
    }
    model.finish();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (n !== total) throw new Error(`replayed ${n} of ${total} events`);
  report({
    store: kind,
    mode: mode === 'read' ? 'read $all' : 'read + replay model',
    events: n,
    seconds,
    cpu,
  });
  await drop();
}

if (phase) {
  const [kind, mode] = phase.split(':');
  await replay(kind!, mode!);
} else {
  const which = flag('store', 'all');
  const kinds = which === 'all' ? ['sqlite', 'postgres'] : [which];
  const pass = process.argv.slice(2);
  for (const kind of kinds) {
    runPhase(import.meta.url, `${kind}:read`, pass);
    runPhase(import.meta.url, `${kind}:model`, pass);
  }
}
