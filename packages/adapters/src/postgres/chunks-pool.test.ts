import { sampleEvent } from '@referral-ledger/core/testing';
import { describe, expect, it } from 'vitest';
import { withIntegrity } from '../integrity/store.ts';
import { getPostgreSQLEventStore } from './store.ts';
import { pgTestTarget, randomSchema } from './test-config.ts';

/**
 * Review: an append of chunks holds one pooled connection for its transaction while its chunk
 * source (the integrity layer fetching heads) queries through the same pool. With a pool of
 * one connection the source waited for that connection forever.
 */
const pg = await pgTestTarget();
const url = pg.url;

describe.runIf(url !== null)('postgres appendChunks with a pool of one connection (review)', () => {
  it('appends through the integrity layer instead of waiting forever', { timeout: 15_000 }, async () => {
    const store = await getPostgreSQLEventStore({
      connectionString: url!,
      schema: randomSchema('rl_pool1'),
      poolConfig: { max: 1 },
    });
    const chained = withIntegrity(store);
    try {
      async function* chunks() {
        yield [{ streamId: 'partner-A', events: [sampleEvent('A'), sampleEvent('A')] }];
        yield [{ streamId: 'partner-B', events: [sampleEvent('B')] }];
      }
      const r = await Promise.race([
        chained.appendChunks!(chunks()),
        new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5_000).unref()),
      ]);
      expect(r).toEqual({ appended: 3, events: 3, lastPosition: 3 });
      expect((await store.readStream('partner-A')).map((e) => e.revision)).toEqual([0, 1]);
      await store.dropSchema();
    } finally {
      // A stuck append keeps the only connection: do not wait for the pool to drain.
      void store.close().catch(() => {});
    }
  });
});

describe.runIf(url !== null)('postgres appendChunks while other appends wait for its lock (review)', () => {
  it('finishes when the waiting appends hold every other connection of the pool', {
    timeout: 15_000,
  }, async () => {
    const store = await getPostgreSQLEventStore({
      connectionString: url!,
      schema: randomSchema('rl_pool3'),
      poolConfig: { max: 3 },
    });
    const chained = withIntegrity(store);
    try {
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      let firstDone!: () => void;
      const first = new Promise<void>((r) => (firstDone = r));
      async function* chunks() {
        yield [{ streamId: 'partner-A', events: [sampleEvent('A')] }];
        firstDone();
        await paused;
        // A new stream: its head is read (through the pool, while the lock is held).
        yield [{ streamId: 'partner-B', events: [sampleEvent('B')] }];
      }
      const importing = chained.appendChunks!(chunks());
      await first;
      // Two appends (a service's requests) wait for the import's lock, each on a connection.
      const waiting = [
        store.append('partner-C', [sampleEvent('C')]),
        store.append('partner-D', [sampleEvent('D')]),
      ];
      await new Promise((r) => setTimeout(r, 200));
      resume();
      const r = await Promise.race([
        Promise.all([importing, ...waiting]),
        new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5_000).unref()),
      ]);
      expect(r).not.toBe('stuck');
      expect(await store.headPosition()).toBe(4);
      await store.dropSchema();
    } finally {
      void store.close().catch(() => {});
    }
  });
});
