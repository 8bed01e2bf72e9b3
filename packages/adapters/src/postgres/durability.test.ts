import { sampleEvent } from '@referral-ledger/core/testing';
import type { RecordedEvent } from '@referral-ledger/core';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConcurrentWriters, checkCrashMidBatch, checkCrashMidChunks } from '../testing/durability.ts';
import { getPostgreSQLEventStore, type PostgreSQLEventStore } from './store.ts';
import { pgTestTarget, randomSchema } from './test-config.ts';

const target = await pgTestTarget();

if (target.url) {
  const url = target.url;
  const schemas: string[] = [];
  const open = async (schema: string, extra: { beforeCommit?: () => Promise<void> } = {}) =>
    getPostgreSQLEventStore({ connectionString: url, schema, pollIntervalMs: 50, ...extra });
  const targetFor = (schema: string) => `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
  afterAll(async () => {
    for (const schema of schemas) await (await open(schema)).dropSchema();
  });
  const fresh = async () => {
    const schema = randomSchema();
    schemas.push(schema);
    return { schema, store: await open(schema) };
  };

  describe('postgres durability (separate processes)', () => {
    it('keeps every acknowledged event exactly once, in position order, under parallel writer processes', async () => {
      const { schema, store } = await fresh();
      try {
        await checkConcurrentWriters(store, targetFor(schema));
      } finally {
        await store.close();
      }
    });

    it('leaves each batch fully there or absent after SIGKILL, and a restarted runner matches a clean replay', async () => {
      const { schema, store } = await fresh();
      await store.close();
      await checkCrashMidBatch(() => open(schema), targetFor(schema));
    });

    it('stores none of the chunks of an appendChunks (CLI stack) killed mid-way; the chain verifies', async () => {
      const { schema, store } = await fresh();
      await store.close();
      await checkCrashMidChunks(() => open(schema), targetFor(schema));
    });

    it('wakes a subscriber in another connection pool through LISTEN/NOTIFY, not the poll', async () => {
      const { schema, store: writer } = await fresh();
      // A poll interval far beyond the test's timeout: only a NOTIFY can deliver in time.
      const listener = await getPostgreSQLEventStore({
        connectionString: url,
        schema,
        pollIntervalMs: 600_000,
      });
      try {
        const seen: RecordedEvent[] = [];
        let arrived!: () => void;
        const got = new Promise<void>((r) => {
          arrived = r;
        });
        const sub = listener.subscribe({
          onEvents: (b) => {
            seen.push(...b);
            if (seen.length >= 2) arrived();
          },
        });
        await sub.caughtUp();
        // Wait until the listener's connection has run its LISTEN.
        for (let i = 0; i < 100; i++) {
          const r = await writer.pool.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1 AND state = 'idle'",
            [`LISTEN "rl_${schema}"`],
          );
          if (r.rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await writer.append('partner-N', [sampleEvent('N'), sampleEvent('N')]);
        await got;
        expect(seen.map((e) => e.streamId)).toEqual(['partner-N', 'partner-N']);
        await sub.close();
      } finally {
        await listener.close();
        await writer.close();
      }
    });

    it('never lets a reader skip or repeat an event when a later append commits while an earlier one is open', async () => {
      const { schema, store: reader } = await fresh();
      let release!: () => void;
      let holding!: () => void;
      const held = new Promise<void>((r) => {
        holding = r;
      });
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const slow: PostgreSQLEventStore = await open(schema, {
        beforeCommit: async () => {
          holding();
          await gate;
        },
      });
      const fast = await open(schema);
      try {
        await reader.append('partner-A', [sampleEvent('A')]);
        const first = slow.append('partner-S', [sampleEvent('S'), sampleEvent('S')]);
        await held; // the slow transaction has its positions and is still open
        const second = fast.append('partner-F', [sampleEvent('F')]);
        const seen: RecordedEvent[] = [];
        let cursor = 0;
        const poll = async () => {
          const page = await reader.readAll({ after: cursor, limit: 100 });
          seen.push(...page);
          if (page.length) cursor = page[page.length - 1]!.position;
        };
        for (let i = 0; i < 5; i++) {
          await poll();
          await new Promise((r) => setTimeout(r, 20));
        }
        // While the earlier transaction is open, nothing after the committed prefix is visible.
        expect(seen.map((e) => e.streamId)).toEqual(['partner-A']);
        release();
        const [r1, r2] = await Promise.all([first, second]);
        expect(r1.positions).toEqual([2, 3]);
        expect(r2.positions).toEqual([4]); // positions follow commit order
        await poll();
        await poll();
        expect(seen.map((e) => e.position)).toEqual([1, 2, 3, 4]);
        expect(seen.map((e) => e.streamId)).toEqual(['partner-A', 'partner-S', 'partner-S', 'partner-F']);
      } finally {
        release();
        await slow.close();
        await fast.close();
        await reader.close();
      }
    });
  });
} else {
  describe.skip(`postgres durability — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
