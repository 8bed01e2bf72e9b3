import { ConcurrencyError, EventIdConflictError } from '@referral-ledger/core';
import { sampleEvent } from '@referral-ledger/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openRawStore } from '../open-store.ts';
import { getPostgreSQLEventStore, type PostgreSQLEventStore } from './store.ts';
import { pgTestTarget, randomSchema } from './test-config.ts';

const target = await pgTestTarget();

if (target.url) {
  const url = target.url;
  let store: PostgreSQLEventStore | undefined;
  const open = async () => {
    store = await getPostgreSQLEventStore({ connectionString: url, schema: randomSchema() });
    return store;
  };
  afterEach(async () => {
    await store?.dropSchema();
    store = undefined;
  });

  // The one-round-trip append (append_events) and its fallback to the exact path.
  describe('postgres append_events', () => {
    it('continues revisions when two writes of one batch target the same stream', async () => {
      const s = await open();
      const r = await s.appendBatch([
        {
          streamId: 'partner-A',
          events: [sampleEvent('A'), sampleEvent('A')],
          expectedRevision: 'no-stream',
        },
        { streamId: 'partner-B', events: [sampleEvent('B')] },
        { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 1 },
      ]);
      expect(r.streams.map((w) => [w.nextExpectedRevision, w.positions])).toEqual([
        [1, [1, 2]],
        [0, [3]],
        [2, [4]],
      ]);
      expect(r.lastPosition).toBe(4);
      expect(await s.streamRevision('partner-A')).toBe(2);
      expect((await s.readStream('partner-A')).map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(await s.headPosition()).toBe(4);
    });

    it('writes nothing when a later write of the batch fails its expected revision', async () => {
      const s = await open();
      await s.append('partner-A', [sampleEvent('A')]);
      await expect(
        s.appendBatch([
          { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 'no-stream' },
          { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 'no-stream' },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await s.headPosition()).toBe(1);
      expect(await s.streamRevision('partner-B')).toBe(-1);
    });

    it('skips an already stored event and appends the new one beside it (exact path)', async () => {
      const s = await open();
      const first = sampleEvent('A');
      await s.append('partner-A', [first]);
      const again = await s.append('partner-A', [first, sampleEvent('A')], { expectedRevision: 0 });
      expect(again).toEqual({ streamId: 'partner-A', nextExpectedRevision: 1, appended: 1, positions: [2] });
      expect(await s.headPosition()).toBe(2);
    });

    it('stores each document byte for byte: quotes, backslashes, non-ASCII, nested arrays', async () => {
      const s = await open();
      const e = sampleEvent('Q');
      const data = {
        ...(e.data as object),
        note: 'a "quoted" \\ back\\slash, {braces}, NULL, comma, tab\t, é 漢字 🎉',
        list: [1, [2, '3'], { k: null }],
      };
      const event = { ...e, data } as unknown as typeof e;
      await s.appendBatch([
        { streamId: 'partner-Q', events: [event], expectedRevision: 'no-stream' },
        { streamId: 'partner-NULL', events: [sampleEvent('NULL')] },
      ]);
      const stored = await s.pool.query(
        `SELECT stream_id, data::text AS data, metadata::text AS metadata FROM "${s.schema}".events ORDER BY position`,
      );
      expect(stored.rows[0]).toEqual({
        stream_id: 'partner-Q',
        data: JSON.stringify(data),
        metadata: JSON.stringify((await s.readStream('partner-Q'))[0]!.metadata),
      });
      expect(stored.rows[1].stream_id).toBe('partner-NULL');
      expect((await s.readStream('partner-Q'))[0]!.data).toEqual(data);
    });

    it('checks the expected revision of a write with no events beside writes that append', async () => {
      const s = await open();
      await s.append('partner-A', [sampleEvent('A')]);
      const r = await s.appendBatch([
        { streamId: 'partner-A', events: [], expectedRevision: 0 },
        { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 'no-stream' },
      ]);
      expect(r.streams.map((w) => [w.streamId, w.nextExpectedRevision, w.positions])).toEqual([
        ['partner-A', 0, []],
        ['partner-B', 0, [2]],
      ]);
      await expect(
        s.appendBatch([
          { streamId: 'partner-A', events: [], expectedRevision: 5 },
          { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 0 },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(
        s.appendBatch([
          { streamId: 'partner-C', events: [], expectedRevision: 'stream-exists' },
          { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 0 },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await s.headPosition()).toBe(2);
      expect(await s.streamRevision('partner-B')).toBe(0);
    });

    it('prepares the append once per connection, or never with preparedStatements: false', async () => {
      const prepared = async (preparedStatements: boolean) => {
        const s = await getPostgreSQLEventStore({
          connectionString: url,
          schema: randomSchema(),
          poolConfig: { max: 1 },
          preparedStatements,
        });
        try {
          await s.append('partner-A', [sampleEvent('A')], { expectedRevision: 'no-stream' });
          await s.appendBatch([
            { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 0 },
            { streamId: 'partner-B', events: [sampleEvent('B')] },
          ]);
          expect((await s.readAll()).map((e) => [e.position, e.streamId, e.revision])).toEqual([
            [1, 'partner-A', 0],
            [2, 'partner-A', 1],
            [3, 'partner-B', 0],
          ]);
          // One pooled connection: this query runs where the appends ran.
          const r = await s.pool.query(
            "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%append_events%'",
          );
          return r.rows[0].n as number;
        } finally {
          await s.dropSchema();
        }
      };
      expect(await prepared(true)).toBe(1);
      expect(await prepared(false)).toBe(0);
    });

    it('reads ?prepared=false from a CLI target URL', async () => {
      const count = async (query: string) => {
        const schema = randomSchema();
        const s = (await openRawStore(
          `${url}${url.includes('?') ? '&' : '?'}schema=${schema}${query}`,
        )) as PostgreSQLEventStore;
        try {
          expect(s.schema).toBe(schema);
          await s.append('partner-A', [sampleEvent('A')]);
          // Sequential use keeps to one pooled connection (the default case proves it below).
          const r = await s.pool.query(
            "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%append_events%'",
          );
          return r.rows[0].n as number;
        } finally {
          await s.dropSchema();
        }
      };
      expect(await count('')).toBe(1);
      expect(await count('&prepared=false')).toBe(0);
    });

    it('refuses one id given twice in a batch with different content', async () => {
      const s = await open();
      const id = '0b6f3f4e-2f3a-4c4d-8e1f-1a2b3c4d5e6f';
      await expect(
        s.appendBatch([
          { streamId: 'partner-A', events: [sampleEvent('A', { eventId: id, reason: 'one' })] },
          { streamId: 'partner-A', events: [sampleEvent('A', { eventId: id, reason: 'two' })] },
        ]),
      ).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await s.headPosition()).toBe(0);
    });
  });
} else {
  describe.skip(`postgres append_events — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
