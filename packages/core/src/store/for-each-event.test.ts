import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../testing.ts';
import { getInMemoryEventStore } from './memory.ts';
import { forEachEvent, readAllEvents } from './types.ts';

describe('forEachEvent', () => {
  it('hands over the same events as readAllEvents, in order, page by page, from a position', async () => {
    const store = getInMemoryEventStore();
    await store.appendBatch(
      Array.from({ length: 23 }, (_, i) => ({ streamId: `partner-P${i}`, events: [sampleEvent(`P${i}`)] })),
    );
    const expected: number[] = [];
    for await (const e of readAllEvents(store, { after: 4, pageSize: 5 })) expected.push(e.position);
    const seen: number[] = [];
    const pages: number[] = [];
    const n = await forEachEvent(store, (e) => seen.push(e.position), {
      after: 4,
      pageSize: 5,
      onPage: (count) => pages.push(count),
    });
    expect(seen).toEqual(expected);
    expect(seen).toEqual(Array.from({ length: 19 }, (_, i) => i + 5));
    expect(n).toBe(19);
    expect(pages).toEqual([5, 10, 15, 19]);
    expect(await forEachEvent(store, () => {}, { after: 23 })).toBe(0);
  });
});
