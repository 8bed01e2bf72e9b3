import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdFilter } from './id-filter.ts';
import { sqliteEventKey } from './store.ts';
import { isCanonicalUuid } from './uuid.ts';

describe('IdFilter', () => {
  it('never calls an added id absent, whether asked by its text or added as its stored key', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uuid(), fc.string({ minLength: 1 })), { maxLength: 300 }), (ids) => {
        const byId = new IdFilter();
        const byKey = new IdFilter();
        for (const id of ids) {
          byId.addId(id, isCanonicalUuid(id));
          byKey.addKey(sqliteEventKey(id));
        }
        for (const id of ids) {
          expect(byId.mayContainId(id, isCanonicalUuid(id))).toBe(true);
          expect(byKey.mayContainId(id, isCanonicalUuid(id))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every id across its growth into several layers, and answers "maybe" for few others', () => {
    const f = new IdFilter();
    const added = Array.from({ length: 300_000 }, () => randomUUID());
    for (const id of added) f.addId(id, true);
    expect(f.size).toBe(added.length);
    expect(added.every((id) => f.mayContainId(id, true))).toBe(true);
    const others = Array.from({ length: 100_000 }, () => randomUUID());
    const maybe = others.filter((id) => f.mayContainId(id, true)).length;
    // ~0.5% a layer, three layers at this size: far below 5% unless the hashing is broken.
    expect(maybe / others.length).toBeLessThan(0.05);
  });

  it('keeps a UUID and the same characters as a non-canonical text id apart', () => {
    const f = new IdFilter();
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    for (const id of ids) f.addId(id, true);
    const asText = ids.filter((id) => f.mayContainId(id.toUpperCase(), false)).length;
    expect(asText).toBeLessThan(50);
  });
});
