/**
 * Fill a store from an NDJSON log the way `ledger import` does (every line validated, events
 * sealed by the privacy layer and chained by the integrity layer of `openStore`, in file
 * order), but appended in batches of `--batch` events instead of one batch of the whole file.
 * One `appendBatch` of a million one-event writes runs for tens of minutes on PostgreSQL
 * (`append_events` walks its argument arrays per write), so the million-event PostgreSQL
 * replay (`pnpm bench:replay --store postgres://...`) is filled with this first:
 *
 *   pnpm bench:fill-store --store 'postgres://postgres@127.0.0.1:5432/test?schema=bench1m' \
 *     [--file bench/out/replay-1000000-seed42.ndjson] [--batch 1000]
 *
 * The store must be empty: this is a set-up step, not an idempotent import.
 */
import { join } from 'node:path';
import { openStore, readNdjsonFile } from '../packages/adapters/src/index.ts';
import type { StreamWrite } from '../packages/core/src/index.ts';
import { flag } from './store-bench-lib.ts';

const target = flag('store', '');
const file = flag('file', join(import.meta.dirname, 'out', 'replay-1000000-seed42.ndjson'));
const batch = Number(flag('batch', '1000'));
if (!target) throw new Error('--store TARGET is required');

const started = performance.now();
const parsed = await readNdjsonFile(file);
const store = await openStore(target);
try {
  if ((await store.readAll({ after: 0, limit: 1 })).length > 0) throw new Error(`${target} is not empty`);
  let appended = 0;
  for (let i = 0; i < parsed.length; i += batch) {
    // One write per event keeps the file's global order, as `importNdjsonFile` does.
    const writes: StreamWrite[] = parsed
      .slice(i, i + batch)
      .map(({ event }) => ({ streamId: event.streamId, events: [event] }));
    appended += (await store.appendBatch(writes)).appended;
    if ((i / batch) % 100 === 0)
      process.stdout.write(
        `\r${appended.toLocaleString('en-US')} / ${parsed.length.toLocaleString('en-US')}`,
      );
  }
  console.log(
    `\rfilled ${target}: ${appended.toLocaleString('en-US')} of ${parsed.length.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(0)} s (batches of ${batch})`,
  );
} finally {
  await store.close();
}
