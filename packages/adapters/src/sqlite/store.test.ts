import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, EventIdConflictError } from '@referral-ledger/core';
import { describeEventStoreContract, sampleEvent } from '@referral-ledger/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { getSQLiteEventStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('sqlite (file)', async () =>
  getSQLiteEventStore({ path: join(dir, `t${n++}.db`) }),
);
describeEventStoreContract('sqlite (:memory:)', async () => getSQLiteEventStore({ path: ':memory:' }));
// Ids move from the in-memory tail into the on-disk index every 2 events: both lookups are exercised.
describeEventStoreContract('sqlite (file, id index run of 2)', async () =>
  getSQLiteEventStore({ path: join(dir, `t${n++}.db`), idIndexRun: 2 }),
);

// Without the in-memory filter of indexed ids: every id is looked up in `event_ids`.
describeEventStoreContract('sqlite (file, id index run of 2, no id filter)', async () =>
  getSQLiteEventStore({ path: join(dir, `t${n++}.db`), idIndexRun: 2, idFilter: false }),
);

describe('sqlite append paths', () => {
  it.each([
    ['in one read', undefined],
    ['a chunk of 7 keys per append, runs indexed meanwhile', 7],
  ])(
    'recognises indexed ids after reopening, before, while and after it builds its id filter (%s)',
    async (_, chunk) => {
      const path = join(dir, `reopen-${n++}.db`);
      const writer = getSQLiteEventStore({ path, idIndexRun: 8 });
      const stored = Array.from({ length: 40 }, () => sampleEvent('A'));
      for (let i = 0; i < stored.length; i += 4) await writer.append('partner-A', stored.slice(i, i + 4));
      await writer.close();
      const store = getSQLiteEventStore({ path, idIndexRun: 8, ...(chunk ? { idFilterChunk: chunk } : {}) });
      try {
        // Each retry looks its ids up; after 40 ids looked up, the store builds its filter.
        let revision = 39;
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < 40; i += 5) {
            const again = await store.append('partner-A', stored.slice(i, i + 5), {
              expectedRevision: revision,
            });
            expect(again).toMatchObject({ appended: 0, nextExpectedRevision: revision });
            // New events meanwhile: their ids go through the tail into runs while the filter is built.
            const more = [sampleEvent('A'), sampleEvent('A')];
            await store.append('partner-A', more, { expectedRevision: revision });
            stored.push(...more);
            revision += 2;
          }
        }
        // Every id stored, old or new, is recognised once the filter is complete.
        const all = await store.append('partner-A', stored, { expectedRevision: revision });
        expect(all).toMatchObject({ appended: 0, nextExpectedRevision: revision });
        const changed = {
          ...stored[3]!,
          data: { ...stored[3]!.data, reason: 'changed' },
        } as (typeof stored)[3];
        await expect(store.append('partner-A', [changed, sampleEvent('A')])).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
        expect(await store.headPosition()).toBe(revision + 1);
      } finally {
        await store.close();
      }
    },
  );

  it('still recognises ids appended at positions freed by deleting the newest events by hand', async () => {
    const path = join(dir, `cut-${n++}.db`);
    const a = getSQLiteEventStore({ path, idIndexRun: 2 });
    const b = getSQLiteEventStore({ path, idIndexRun: 2 });
    try {
      await a.append('partner-A', [sampleEvent('A'), sampleEvent('A'), sampleEvent('A'), sampleEvent('A')]);
      a.db.exec('DELETE FROM events WHERE position > 2; UPDATE streams SET revision = 1');
      const reused = [sampleEvent('A')];
      expect(await a.append('partner-A', reused, { expectedRevision: 1 })).toMatchObject({ positions: [3] });
      // b has never seen position 3 in memory, and the index once covered it with another id.
      expect(await b.append('partner-A', reused, { expectedRevision: 2 })).toMatchObject({ appended: 0 });
      expect((await b.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('recognises stored ids whether in the in-memory tail or the index, across connections', async () => {
    const path = join(dir, `two-${n++}.db`);
    const a = getSQLiteEventStore({ path, idIndexRun: 4 });
    const b = getSQLiteEventStore({ path, idIndexRun: 4 });
    const indexed = () => (a.db.prepare('SELECT count(*) AS c FROM event_ids').get() as { c: number }).c;
    try {
      const first = [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')];
      await a.append('partner-A', first, { expectedRevision: 'no-stream' });
      expect(indexed()).toBe(0); // all three in the tail
      // b never saw them in memory: it reads the tail from the file under the write lock.
      expect(await b.append('partner-A', [first[0]!], { expectedRevision: 'any' })).toMatchObject({
        appended: 0,
      });
      await b.append('partner-B', [sampleEvent('B')], { expectedRevision: 'no-stream' });
      expect(indexed()).toBe(4); // b's append reached the run length and indexed the tail
      // a's tail is stale now: it must notice and find the ids in the index.
      expect(await a.append('partner-A', first, { expectedRevision: 2 })).toMatchObject({
        appended: 0,
        nextExpectedRevision: 2,
      });
      const changed = { ...first[1]!, data: { partnerId: 'A', tier: 'gold', reason: 'other' } };
      await expect(a.append('partner-A', [changed as (typeof first)[1]])).rejects.toBeInstanceOf(
        EventIdConflictError,
      );
      const again = await a.append('partner-A', [sampleEvent('A')], { expectedRevision: 2 });
      expect(again).toMatchObject({ appended: 1, positions: [5] });
      expect(
        await b.append('partner-A', [sampleEvent('A')], { expectedRevision: 2 }).catch((e) => e),
      ).toBeInstanceOf(ConcurrencyError);
      expect((await b.readAll()).map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('skips stored ids mixed with new ones and checks the revision after them', async () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    const a = [sampleEvent('A'), sampleEvent('A')];
    await store.append('partner-A', a, { expectedRevision: 'no-stream' });
    const more = sampleEvent('A');
    // The retry carries the two stored events and one new one: only the new one is written.
    const r = await store.append('partner-A', [...a, more], { expectedRevision: 1 });
    expect(r).toMatchObject({ appended: 1, nextExpectedRevision: 2, positions: [3] });
    await expect(
      store.append('partner-A', [sampleEvent('A')], { expectedRevision: 1 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await store.close();
  });

  it('treats one id in two writes of a batch as one event, or as a conflict across streams', async () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    const e = sampleEvent('A');
    const ok = await store.appendBatch([
      { streamId: 'partner-A', events: [e] },
      { streamId: 'partner-A', events: [e] },
    ]);
    expect(ok.appended).toBe(1);
    const moved = {
      ...sampleEvent('B'),
      metadata: { ...sampleEvent('B').metadata, eventId: 'aaaaaaaa-0000-4000-8000-000000000001' },
    };
    const err = await store
      .appendBatch([
        { streamId: 'partner-B', events: [moved] },
        { streamId: 'partner-C', events: [{ ...moved, streamId: 'partner-C' } as typeof moved] },
      ])
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EventIdConflictError);
    expect(await store.headPosition()).toBe(1); // nothing of the refused batch was kept
    await store.close();
  });

  it('stores canonical UUIDs as 16 bytes and other ids as text, alone or mixed in one batch', async () => {
    const store = getSQLiteEventStore({ path: ':memory:', idIndexRun: 3 });
    const withId = (stream: string, eventId: string) => {
      const e = sampleEvent(stream);
      return { ...e, metadata: { ...e.metadata, eventId } };
    };
    const uuid = 'aaaaaaaa-0000-4000-8000-00000000000a';
    const upper = 'BBBBBBBB-0000-4000-8000-00000000000B';
    const ids = [uuid, 'import-line-7', upper];
    const inA = ids.map((id) => withId('A', id));
    const uuidsOnly = [withId('B', 'cccccccc-0000-4000-8000-00000000000c')];
    try {
      await store.appendBatch([
        { streamId: 'partner-A', events: inA, expectedRevision: 'no-stream' },
        { streamId: 'partner-B', events: uuidsOnly, expectedRevision: 'no-stream' },
      ]);
      const rows = store.db
        .prepare('SELECT typeof(event_id) AS t, hex(event_id) AS h FROM events ORDER BY position')
        .all() as { t: string; h: string }[];
      expect(rows.map((r) => r.t)).toEqual(['blob', 'text', 'text', 'blob']);
      expect(rows[0]!.h).toBe(uuid.replaceAll('-', '').toUpperCase());
      // Every id is recognised again, in the tail and (after a run of 3) in the index.
      for (let round = 0; round < 2; round++) {
        const again = await store.appendBatch([
          { streamId: 'partner-A', events: inA, expectedRevision: 2 },
          { streamId: 'partner-B', events: uuidsOnly, expectedRevision: 0 },
        ]);
        expect(again.appended).toBe(0);
        await store.append('partner-C', [sampleEvent('C')]); // moves the tail into the index
      }
      expect((await store.readAll()).map((e) => e.metadata.eventId).slice(0, 4)).toEqual([
        ...ids,
        uuidsOnly[0]!.metadata.eventId,
      ]);
    } finally {
      await store.close();
    }
  });

  it('reads every stream revision of a batch in one statement, each matched to its own stream', async () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    try {
      await store.append('partner-A', [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')]);
      await store.append('partner-C', [sampleEvent('C')]);
      const r = await store.appendBatch([
        { streamId: 'partner-C', events: [sampleEvent('C')], expectedRevision: 0 },
        { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 'no-stream' },
        { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 2 },
        { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 3 },
      ]);
      expect(r.streams.map((w) => [w.streamId, w.nextExpectedRevision])).toEqual([
        ['partner-C', 1],
        ['partner-B', 0],
        ['partner-A', 3],
        ['partner-A', 4],
      ]);
      await expect(
        store.appendBatch([
          { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 0 },
          { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 3 },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.streamRevision('partner-A')).toBe(4);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite appendChunks', () => {
  it.each([
    ['ids kept in the tail', 1000],
    ['ids indexed in runs of 2 while the chunks are appended', 2],
  ])('forgets the ids of rolled-back chunks (%s): appending them again stores them', async (_, run) => {
    const store = getSQLiteEventStore({ path: join(dir, `chunks-${n++}.db`), idIndexRun: run });
    try {
      await store.append('partner-C', [sampleEvent('C')]);
      const first = [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')];
      async function* chunks() {
        yield [{ streamId: 'partner-A', events: first }];
        yield [{ streamId: 'partner-B', events: [sampleEvent('B'), sampleEvent('B')] }];
        yield [{ streamId: 'partner-C', events: [sampleEvent('C')], expectedRevision: 'no-stream' as const }];
      }
      await expect(store.appendChunks!(chunks())).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.headPosition()).toBe(1);
      // Had the tail or the index kept the rolled-back ids, these would be skipped as stored.
      const again = await store.append('partner-A', first, { expectedRevision: 'no-stream' });
      expect(again.appended).toBe(3);
      expect((await store.readStream('partner-A')).map((e) => e.position)).toEqual([2, 3, 4]);
      expect((await store.append('partner-A', first)).appended).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('makes other calls on the store wait until the chunks commit, and lets the chunk source read', async () => {
    const store = getSQLiteEventStore({ path: join(dir, `chunks-${n++}.db`) });
    try {
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      let sourceSaw = -2;
      const order: string[] = [];
      async function* chunks() {
        yield [{ streamId: 'partner-A', events: [sampleEvent('A'), sampleEvent('A')] }];
        // The source's own reads go through while the transaction is open (its uncommitted events).
        sourceSaw = await store.streamRevision('partner-A');
        await paused;
        yield [{ streamId: 'partner-A', events: [sampleEvent('A')] }];
      }
      const importing = store.appendChunks!(chunks()).then((r) => {
        order.push('import');
        return r;
      });
      await new Promise((r) => setTimeout(r, 20));
      const reading = store.readAll().then((events) => {
        order.push('read');
        return events;
      });
      const appending = store.append('partner-B', [sampleEvent('B')]).then((r) => {
        order.push('append');
        return r;
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(order).toEqual([]);
      expect(sourceSaw).toBe(1);
      resume();
      const [imported, read, appended] = await Promise.all([importing, reading, appending]);
      expect(order[0]).toBe('import');
      expect(imported).toEqual({ appended: 3, events: 3, lastPosition: 3 });
      // The waiting reader saw the committed import whole; the waiting append came after it.
      expect(read.map((e) => e.position)).toEqual([1, 2, 3]);
      expect(appended.positions).toEqual([4]);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite appendChunks rolled back, then another connection appends (review)', () => {
  it('neither duplicates the other connection’s ids nor refuses the rolled-back ones', async () => {
    const path = join(dir, `chunks-race-${n++}.db`);
    const a = getSQLiteEventStore({ path });
    const b = getSQLiteEventStore({ path });
    try {
      await a.append('partner-C', [sampleEvent('C')]);
      const rolledBack = [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')];
      async function* chunks() {
        yield [{ streamId: 'partner-A', events: rolledBack }];
        throw new Error('the source fails after a chunk was written');
      }
      await expect(a.appendChunks!(chunks())).rejects.toThrow('the source fails');
      // Another connection (another process) takes positions 2-4 before `a` appends again.
      const others = [sampleEvent('B'), sampleEvent('B'), sampleEvent('B')];
      expect((await b.append('partner-B', others)).positions).toEqual([2, 3, 4]);
      // The same events again through `a`: already stored, so skipped.
      expect((await a.append('partner-B', others)).appended).toBe(0);
      // The rolled-back events were never stored: `a` appends them.
      expect((await a.append('partner-A', rolledBack, { expectedRevision: 'no-stream' })).appended).toBe(3);
      expect(await a.headPosition()).toBe(7);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('sqlite appendChunks queued behind another (review)', () => {
  it('runs two appendChunks that waited for the same import one after the other', async () => {
    const store = getSQLiteEventStore({ path: join(dir, `chunks-queue-${n++}.db`) });
    try {
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      let started!: () => void;
      const first = new Promise<void>((r) => (started = r));
      async function* held() {
        yield [{ streamId: 'partner-A', events: [sampleEvent('A')] }];
        started();
        await paused;
      }
      const chunksOf = (id: string) =>
        (async function* () {
          yield [{ streamId: `partner-${id}`, events: [sampleEvent(id)] }];
          yield [{ streamId: `partner-${id}`, events: [sampleEvent(id)] }];
        })();
      const importing = store.appendChunks!(held());
      await first;
      // Both wait for the import above; once it ends they must take turns.
      const second = store.appendChunks!(chunksOf('B'));
      const third = store.appendChunks!(chunksOf('C'));
      resume();
      const results = await Promise.allSettled([importing, second, third]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect(await store.headPosition()).toBe(5);
      expect((await store.readStream('partner-C')).map((e) => e.revision)).toEqual([0, 1]);
    } finally {
      await store.close();
    }
  });
});
