import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConcurrencyError, EventIdConflictError } from '@referral-ledger/core';
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

/** A ledger.db as schema 4 wrote it: stream heads in `streams`, ids indexed through position 2 of 3. */
function schema4Ledger(path: string): void {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  for (const m of MIGRATIONS.slice(0, 4)) db.exec(m);
  db.exec('PRAGMA user_version = 4');
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const rows: [string, number, string][] = [
    ['partner-P-1', 0, UUID_ID],
    ['partner-P-1', 1, OTHER_ID],
    ['partner-P-2', 0, '7c0e6d1a-2b3c-4d5e-8f90-a1b2c3d4e5f6'],
  ];
  for (const [stream, revision, id] of rows) {
    insert.run(
      stream,
      revision,
      id === OTHER_ID ? id : Buffer.from(id.replaceAll('-', ''), 'hex'),
      'PartnerTierChanged',
      JSON.stringify({ partnerId: stream.slice(8), tier: 'silver', reason: `review ${revision}` }),
      JSON.stringify({
        eventId: id,
        occurredAt: '2026-01-05T09:00:00.000Z',
        recordedAt: '2026-01-05T09:00:01.000Z',
      }),
    );
  }
  db.exec(`INSERT INTO event_ids (event_id, position) SELECT event_id, position FROM events WHERE position <= 2;
    UPDATE store_state SET value = 2 WHERE name = 'event_ids_through';
    INSERT INTO streams (stream_id, revision) VALUES ('partner-P-1', 1), ('partner-P-2', 0);`);
  db.close();
}

describe('sqlite schema migration 4 → 5 (stream revisions from the events index)', () => {
  it('opens a schema-4 file without its streams table, with the same revisions, events and ids', async () => {
    const path = join(dir, 'v4.db');
    schema4Ledger(path);
    const store = getSQLiteEventStore({ path });
    try {
      const version = store.db.prepare('PRAGMA user_version').get() as { user_version: number };
      expect(version.user_version).toBe(SCHEMA_VERSION);
      const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'streams'").all();
      expect(tables).toEqual([]);

      expect(await store.streamRevision('partner-P-1')).toBe(1);
      expect(await store.streamRevision('partner-P-2')).toBe(0);
      expect(await store.streamRevision('partner-P-3')).toBe(-1);
      const all = await store.readAll();
      expect(all.map((e) => [e.position, e.streamId, e.revision, e.metadata.eventId])).toEqual([
        [1, 'partner-P-1', 0, UUID_ID],
        [2, 'partner-P-1', 1, OTHER_ID],
        [3, 'partner-P-2', 0, '7c0e6d1a-2b3c-4d5e-8f90-a1b2c3d4e5f6'],
      ]);

      // Expected revisions are checked against the migrated heads, one stream or several at once.
      await expect(
        store.append('partner-P-1', [sampleEvent('P-1')], { expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(
        store.appendBatch([
          { streamId: 'partner-P-1', events: [sampleEvent('P-1')], expectedRevision: 1 },
          { streamId: 'partner-P-2', events: [sampleEvent('P-2')], expectedRevision: 'no-stream' },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      // Ids indexed (positions 1, 2) and in the tail (position 3) are still recognised.
      const retry = await store.append('partner-P-1', [again(0, UUID_ID), again(1, OTHER_ID)], {
        expectedRevision: 1,
      });
      expect(retry).toMatchObject({ appended: 0 });
      await expect(store.append('partner-P-1', [again(7, OTHER_ID, 'other content')])).rejects.toBeInstanceOf(
        EventIdConflictError,
      );
      const next = await store.appendBatch([
        { streamId: 'partner-P-1', events: [sampleEvent('P-1')], expectedRevision: 1 },
        { streamId: 'partner-P-2', events: [sampleEvent('P-2')], expectedRevision: 0 },
        { streamId: 'partner-P-3', events: [sampleEvent('P-3')], expectedRevision: 'no-stream' },
      ]);
      expect(next.streams.map((r) => [r.streamId, r.nextExpectedRevision, r.positions])).toEqual([
        ['partner-P-1', 2, [4]],
        ['partner-P-2', 1, [5]],
        ['partner-P-3', 0, [6]],
      ]);
    } finally {
      await store.close();
    }
  });
});
