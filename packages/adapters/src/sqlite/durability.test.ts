import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { checkConcurrentWriters, checkCrashMidBatch } from '../testing/durability.ts';
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

  it('leaves each batch fully there or absent after SIGKILL, and a restarted runner matches a clean replay', async () => {
    const path = join(dir, 'crash.db');
    getSQLiteEventStore({ path }).db.close(); // create and migrate before the child starts
    await checkCrashMidBatch(async () => getSQLiteEventStore({ path }), path);
  });
});
