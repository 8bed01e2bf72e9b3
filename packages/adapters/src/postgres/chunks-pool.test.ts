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
