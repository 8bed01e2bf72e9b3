import type { CommissionCondition, ConditionNode } from '@referral-ledger/core';

/** The facts a condition can test (SPEC §6.2); a field absent here is "missing". */
export type ConditionFacts = Readonly<Record<string, string | number | undefined>>;

function compare(op: string, actual: string | number | undefined, expected: unknown): boolean {
  // SPEC §6.2: a missing field satisfies only `neq` and `notIn`.
  if (actual === undefined) return op === 'neq' || op === 'notIn';
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'notIn':
      return Array.isArray(expected) && !expected.includes(actual);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string'))
        return false;
      const a = actual as number | string;
      const e = expected as number | string;
      if (op === 'gt') return a > e;
      if (op === 'gte') return a >= e;
      if (op === 'lt') return a < e;
      return a <= e;
    }
    default:
      return false;
  }
}

/**
 * Whether a condition node holds for `facts`: `{all}` needs every child, `{any}` one of
 * them (an empty `all` holds, an empty `any` does not), a leaf compares one field.
 *
 * @example holds({ all: [{ field: 'deal.attributes.segment', op: 'eq', value: 'enterprise' }] }, { 'deal.attributes.segment': 'enterprise' }) // true
 */
export function holds(node: ConditionNode, facts: ConditionFacts): boolean {
  if ('all' in node) return node.all.every((n) => holds(n, facts));
  if ('any' in node) return node.any.some((n) => holds(n, facts));
  return compare(node.op, facts[node.field], node.value);
}

/** The first condition whose `when` holds (SPEC §6.2: first match wins), else null. */
export function firstMatch(
  conditions: readonly CommissionCondition[],
  facts: ConditionFacts,
): CommissionCondition | null {
  for (const c of conditions) if (holds(c.when, facts)) return c;
  return null;
}
