import { describe, expect, it } from 'vitest';
import { firstMatch, holds } from './conditions.ts';

const facts = { 'partner.tier': 'gold', 'deal.value': 5_000_000, 'deal.attributes.region': 'EU' };
const leaf = (field: string, op: string, value: unknown) => ({ all: [{ field, op, value }] }) as never;

describe('condition groups (SPEC §6.2)', () => {
  it('compares with every operator', () => {
    expect(holds(leaf('partner.tier', 'eq', 'gold'), facts)).toBe(true);
    expect(holds(leaf('partner.tier', 'neq', 'gold'), facts)).toBe(false);
    expect(holds(leaf('partner.tier', 'in', ['silver', 'gold']), facts)).toBe(true);
    expect(holds(leaf('partner.tier', 'notIn', ['silver', 'gold']), facts)).toBe(false);
    expect(holds(leaf('deal.value', 'gt', 5_000_000), facts)).toBe(false);
    expect(holds(leaf('deal.value', 'gte', 5_000_000), facts)).toBe(true);
    expect(holds(leaf('deal.value', 'lt', 5_000_001), facts)).toBe(true);
    expect(holds(leaf('deal.value', 'lte', 4_999_999), facts)).toBe(false);
  });

  it('a missing field satisfies only neq and notIn', () => {
    for (const [op, value, want] of [
      ['eq', 'x', false],
      ['neq', 'x', true],
      ['in', ['x'], false],
      ['notIn', ['x'], true],
      ['gt', 0, false],
      ['gte', 0, false],
      ['lt', 0, false],
      ['lte', 0, false],
    ] as const)
      expect(holds(leaf('deal.attributes.segment', op, value), facts)).toBe(want);
  });

  it('nests all / any; an empty all holds and an empty any does not', () => {
    const node = {
      any: [
        { all: [{ field: 'partner.tier', op: 'eq', value: 'silver' }] },
        {
          all: [
            { field: 'deal.attributes.region', op: 'eq', value: 'EU' },
            {
              any: [
                { field: 'deal.value', op: 'gte', value: 10_000_000 },
                { field: 'partner.tier', op: 'eq', value: 'gold' },
              ],
            },
          ],
        },
      ],
    } as never;
    expect(holds(node, facts)).toBe(true);
    expect(holds({ all: [] }, facts)).toBe(true);
    expect(holds({ any: [] }, facts)).toBe(false);
  });

  it('the first matching condition wins', () => {
    const conditions = [
      { name: 'a', when: leaf('partner.tier', 'eq', 'silver'), then: { rateBps: 1 } },
      { name: 'b', when: leaf('deal.value', 'gte', 1), then: { rateBps: 2 } },
      { name: 'c', when: leaf('partner.tier', 'eq', 'gold'), then: { rateBps: 3 } },
    ];
    expect(firstMatch(conditions, facts)?.name).toBe('b');
    expect(firstMatch(conditions.slice(0, 1), facts)).toBeNull();
  });
});
