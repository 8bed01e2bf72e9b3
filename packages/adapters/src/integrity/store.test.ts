import { getInMemoryEventStore, readAllEvents } from '@referral-ledger/core';
import { describeEventStoreContract } from '@referral-ledger/core/testing';
import { describe, expect, it } from 'vitest';
import { eventChainHash, GENESIS_HASH } from './chain.ts';
import { memoryAnchorStore, withIntegrity } from './store.ts';
import { appendSample, sampleEvents } from './tamper.fixture.ts';
import { verifyLog } from './verify.ts';

// The decorator must keep every guarantee of the store it wraps.
describeEventStoreContract('memory with integrity', async () =>
  withIntegrity(getInMemoryEventStore(), { anchors: memoryAnchorStore() }),
);

describe('withIntegrity', () => {
  it('chains each event to the previous one of its stream', async () => {
    const store = withIntegrity(getInMemoryEventStore(), { anchors: memoryAnchorStore() });
    await appendSample(store);
    const p1 = await store.readStream('partner-P-1');
    expect(p1.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(p1[0]!.metadata.hash).toBe(eventChainHash(GENESIS_HASH, p1[0]!));
    expect(p1[1]!.metadata.hash).toBe(eventChainHash(p1[0]!.metadata.hash as string, p1[1]!));
    expect(p1[0]!.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the checkpoint at the head after every append', async () => {
    const anchors = memoryAnchorStore();
    const store = withIntegrity(getInMemoryEventStore(), { anchors });
    await appendSample(store);
    expect((await anchors.load())?.position).toBe(8);
    const r = await verifyLog(readAllEvents(store), { anchor: await anchors.load() });
    expect(r.status).toBe('intact');
  });

  it('appends nothing and keeps the chain when the same events are appended again', async () => {
    const store = withIntegrity(getInMemoryEventStore(), { anchors: memoryAnchorStore() });
    const events = sampleEvents().map((e, i) => ({
      ...e,
      metadata: { ...e.metadata, eventId: `00000000-0000-4000-8000-00000000000${i}` },
    }));
    const writes = events.map((e) => ({ streamId: e.streamId, events: [e] }));
    expect((await store.appendBatch(writes)).appended).toBe(8);
    expect((await store.appendBatch(writes)).appended).toBe(0);
    const r = await verifyLog(readAllEvents(store));
    expect(r).toMatchObject({ status: 'intact', events: 8 });
  });

  it("pins 'any' to the revision it read and retries when concurrent writers race", async () => {
    const store = withIntegrity(getInMemoryEventStore(), { anchors: memoryAnchorStore() });
    const one = sampleEvents()[2]!; // a tier change of P-1
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.append('partner-P-1', [{ ...one, data: { ...one.data, reason: `r${i}` } } as typeof one]),
      ),
    );
    const r = await verifyLog(readAllEvents(store));
    expect(r).toMatchObject({ status: 'intact', events: 20 });
  });

  it('passes an exact expected revision through, so the caller sees its conflict', async () => {
    const store = withIntegrity(getInMemoryEventStore(), { anchors: memoryAnchorStore() });
    await appendSample(store);
    const base = sampleEvents()[2]!;
    const e = { ...base, data: { ...base.data, reason: 'late' } } as typeof base;
    await expect(store.append('partner-P-1', [e], { expectedRevision: 1 })).rejects.toMatchObject({
      code: 'concurrency',
    });
  });
});
