import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdFilter } from './id-filter.ts';

describe('IdFilter', () => {
  it('never calls an added id absent', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uuid(), fc.string({ minLength: 1 })), { maxLength: 300 }), (ids) => {
        const f = new IdFilter();
        for (const id of ids) f.add(id);
        for (const id of ids) expect(f.mayContain(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every id across its growth into several layers, and answers "maybe" for few others', () => {
    const f = new IdFilter();
    const added = Array.from({ length: 300_000 }, () => randomUUID());
    for (const id of added) f.add(id);
    expect(f.size).toBe(added.length);
    expect(added.every((id) => f.mayContain(id))).toBe(true);
    const others = Array.from({ length: 100_000 }, () => randomUUID());
    const maybe = others.filter((id) => f.mayContain(id)).length;
    // A few in a thousand per layer, three layers at this size: far below 5% unless the hashing is broken.
    expect(maybe / others.length).toBeLessThan(0.05);
  });
});
