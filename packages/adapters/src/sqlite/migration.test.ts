import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { EventIdConflictError } from '@referral-ledger/core';
import { sampleEvent } from '@referral-ledger/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { getSQLiteEventStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-sqlite-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UUID_ID = '0b6a54c4-3f0e-4d7a-9a55-6f2e1c9d8b70';
const OTHER_ID = 'import-line-42'; // not a UUID: kept as text

/** A ledger.db as schema 3 wrote it: `event_id` as 36-character TEXT, two events on one stream. */
function schema3Ledger(path: string): void {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  for (const m of MIGRATIONS.slice(0, 3)) db.exec(m);
  db.exec('PRAGMA user_version = 3');
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const [revision, id] of [UUID_ID, OTHER_ID].entries()) {
    insert.run(
      'partner-P-1',
      revision,
      id,
      'PartnerTierChanged',
      JSON.stringify({ partnerId: 'P-1', tier: 'silver', reason: `review ${revision}` }),
      JSON.stringify({
        eventId: id,
        occurredAt: '2026-01-05T09:00:00.000Z',
        recordedAt: '2026-01-05T09:00:01.000Z',
      }),
    );
  }
  db.prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?)').run('partner-P-1', 1);
  db.close();
}

const again = (revision: number, eventId: string, reason = `review ${revision}`) =>
  sampleEvent('P-1', { eventId, reason, occurredAt: '2026-01-05T09:00:00.000Z' });

describe('sqlite schema migration 3 → 4 (compact event-id key)', () => {
  it('opens a schema-3 file, keeps its events, and still recognises their ids', async () => {
    const path = join(dir, 'v3.db');
    schema3Ledger(path);
    const store = getSQLiteEventStore({ path });
    try {
      const version = store.db.prepare('PRAGMA user_version').get() as { user_version: number };
      expect(version.user_version).toBe(SCHEMA_VERSION);
      const keys = store.db.prepare('SELECT typeof(event_id) AS t FROM events ORDER BY position').all();
      expect(keys.map((k) => (k as { t: string }).t)).toEqual(['blob', 'text']);

      const before = await store.readAll();
      expect(before.map((e) => [e.position, e.revision, e.metadata.eventId])).toEqual([
        [1, 0, UUID_ID],
        [2, 1, OTHER_ID],
      ]);

      // Re-appending the migrated events is a no-op; reusing their ids for other content is refused.
      const retry = await store.append('partner-P-1', [again(0, UUID_ID), again(1, OTHER_ID)], {
        expectedRevision: 1,
      });
      expect(retry).toMatchObject({ appended: 0, nextExpectedRevision: 1 });
      for (const id of [UUID_ID, OTHER_ID]) {
        await expect(store.append('partner-P-1', [again(5, id, 'other content')])).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
      }

      // New events go on after the migrated ones.
      const next = await store.append('partner-P-1', [sampleEvent('P-1')], { expectedRevision: 1 });
      expect(next).toMatchObject({ appended: 1, nextExpectedRevision: 2, positions: [3] });
      expect((await store.readStream('partner-P-1')).map((e) => e.revision)).toEqual([0, 1, 2]);
    } finally {
      await store.close();
    }
  });

  it('refuses to store a canonical UUID as text, where the store would not find it', () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    const insert = store.db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    expect(() => insert.run('partner-P-1', 0, UUID_ID, 'PartnerTierChanged', '{}', '{}')).toThrow(
      /CHECK constraint failed/,
    );
    store.db.close();
  });
});
