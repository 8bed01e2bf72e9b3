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

describe('sqlite append paths', () => {
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
});
