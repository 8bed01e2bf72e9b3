/**
 * A child process for the concurrency and crash tests (spawned with
 * `node --conditions=@referral-ledger/source child.ts <mode> <target> ...`).
 *
 * - `writer <target> <id> <rounds>`: appends to its own stream (exact expected revisions), to
 *   a shared stream (read revision, retry on conflict) and cross-stream batches; prints the
 *   ids of every acknowledged event as a JSON array per line.
 * - `crash <target>`: runs a durable projection while appending 6-event batches forever,
 *   printing each acknowledged batch number; the parent SIGKILLs it.
 * - `chunks <target>`: appends one event, then an endless `appendChunks` through the CLI's
 *   store stack, printing each chunk handed over; the parent SIGKILLs it.
 */
import { ConcurrencyError, type NewEvent, randomUuid } from '@referral-ledger/core';
import { openStore, storeKindOf } from '../open-store.ts';
import { runProjection } from '../runner/runner.ts';
import { getSQLiteEventStore } from '../sqlite/store.ts';
import type { ProjectionStateStore } from '../runner/types.ts';
import { streamCounts } from './stream-counts.ts';

const [mode, target, ...rest] = process.argv.slice(2);

function event(streamId: string, reason: string): NewEvent {
  const partnerId = streamId.slice('partner-'.length);
  return {
    streamId,
    type: 'PartnerTierChanged',
    data: { partnerId, tier: 'gold', reason },
    metadata: { eventId: randomUuid(), occurredAt: '2026-01-05T09:00:00.000Z' },
  } as unknown as NewEvent;
}

const ack = (ids: readonly NewEvent[]) =>
  new Promise<void>((resolve) =>
    process.stdout.write(`${JSON.stringify(ids.map((e) => e.metadata.eventId))}\n`, () => resolve()),
  );

// The SQLite durability test can shorten the id index run (SQLite store, schema 4) so that
// writer processes index each other's tails while they race.
const idIndexRun = process.env.RL_TEST_SQLITE_ID_INDEX_RUN;
const store =
  idIndexRun && storeKindOf(target!) === 'sqlite'
    ? getSQLiteEventStore({ path: target!, idIndexRun: Number(idIndexRun) })
    : await openStore(target!);

if (mode === 'writer') {
  const id = rest[0]!;
  const rounds = Number(rest[1]);
  const own = `partner-W${id}`;
  for (let r = 0; r < rounds; r++) {
    const mine = [event(own, `w${id}-${r}`)];
    await store.append(own, mine, { expectedRevision: r === 0 ? 'no-stream' : r - 1 });
    await ack(mine);
    for (;;) {
      const shared = [event('partner-shared', `w${id}-${r}`)];
      const rev = await store.streamRevision('partner-shared');
      try {
        await store.append('partner-shared', shared, { expectedRevision: rev === -1 ? 'no-stream' : rev });
        await ack(shared);
        break;
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
      }
    }
    if (r % 4 === 0) {
      const a = [event(`partner-W${id}-b`, `b${r}`), event(`partner-W${id}-b`, `b${r}`)];
      const b = [event('partner-shared-b', `w${id}-b${r}`)];
      await store.appendBatch([
        { streamId: `partner-W${id}-b`, events: a },
        { streamId: 'partner-shared-b', events: b },
      ]);
      await ack([...a, ...b]);
    }
  }
  await store.close();
} else if (mode === 'crash') {
  const run = await runProjection(store, store as unknown as ProjectionStateStore, streamCounts(), {
    saveEvery: 7,
  });
  for (let k = 0; ; k++) {
    const tag = `batch-${k}`;
    await store.appendBatch([
      {
        streamId: `partner-C${k % 5}`,
        events: [event(`partner-C${k % 5}`, tag), event(`partner-C${k % 5}`, tag)],
      },
      {
        streamId: `partner-D${k % 3}`,
        events: [event(`partner-D${k % 3}`, tag), event(`partner-D${k % 3}`, tag)],
      },
      { streamId: 'partner-E', events: [event('partner-E', tag), event('partner-E', tag)] },
    ]);
    process.stdout.write(`${k}\n`);
    if (k % 10 === 0) await new Promise((r) => setImmediate(r));
    void run;
  }
} else if (mode === 'chunks') {
  // One committed event, then an append of chunks that never ends: each chunk's number is
  // printed once the store has taken it (inside the open transaction); the parent SIGKILLs us.
  const seed = [event('partner-seed', 'seed')];
  await store.append('partner-seed', seed);
  process.stdout.write('seed\n');
  async function* chunks() {
    for (let k = 0; ; k++) {
      const w = Array.from({ length: 10 }, (_, i) => ({
        streamId: `partner-K${(k * 10 + i) % 37}`,
        events: [event(`partner-K${(k * 10 + i) % 37}`, `chunk-${k}`)],
      }));
      yield w;
      process.stdout.write(`${k}\n`);
    }
  }
  await store.appendChunks!(chunks());
} else {
  throw new Error(`unknown mode ${mode}`);
}
