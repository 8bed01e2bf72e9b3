import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConcurrentWriters, checkCrashMidBatch, checkCrashMidChunks } from '../testing/durability.ts';
import { getSQLiteEventStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-sqlite-dur-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite durability (separate processes)', () => {
  it('keeps every acknowledged event exactly once, in position order, under parallel writer processes', async () => {
    const path = join(dir, 'concurrent.db');
    const store = getSQLiteEventStore({ path });
    try {
      await checkConcurrentWriters(store, path);
    } finally {
      await store.close();
    }
  });

  it("keeps ids unique when writer processes index each other's tails (id index run of 7)", async () => {
    const path = join(dir, 'concurrent-runs.db');
    const store = getSQLiteEventStore({ path, idIndexRun: 7 });
    process.env.RL_TEST_SQLITE_ID_INDEX_RUN = '7';
    try {
      await checkConcurrentWriters(store, path);
      const through = store.db
        .prepare("SELECT value FROM store_state WHERE name = 'event_ids_through'")
        .get() as { value: number };
      expect(through.value).toBeGreaterThan(0); // runs did happen while the writers raced
      const ids = store.db.prepare('SELECT count(*) AS n FROM event_ids').get() as { n: number };
      expect(ids.n).toBe(through.value); // every indexed position once
    } finally {
      delete process.env.RL_TEST_SQLITE_ID_INDEX_RUN;
      await store.close();
    }
  });

  it('leaves each batch fully there or absent after SIGKILL, and a restarted runner matches a clean replay', async () => {
    const path = join(dir, 'crash.db');
    getSQLiteEventStore({ path }).db.close(); // create and migrate before the child starts
    await checkCrashMidBatch(async () => getSQLiteEventStore({ path }), path);
  });

  it('stores none of the chunks of an appendChunks (CLI stack) killed mid-way; the chain verifies', async () => {
    const path = join(dir, 'crash-chunks.db');
    getSQLiteEventStore({ path }).db.close();
    await checkCrashMidChunks(async () => getSQLiteEventStore({ path }), path);
  });
});
