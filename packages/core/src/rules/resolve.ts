import { ValidationError } from '../errors.ts';
import { DEFAULT_RULES } from './defaults.ts';
import { type RuleSet, RuleSetSchema } from './schema.ts';
import { zodIssues } from '../util/zod-issues.ts';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** SPEC §4 merge: objects merge key by key; arrays, `null` and scalars replace. */
export function mergeRules(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = mergeRules(base[k], v);
    return out;
  }
  return override;
}

/**
 * Merge a user's rule set over the defaults and validate the result. Throws a
 * `ValidationError` naming every bad field (`commission.rates.gold.silver: ...`).
 *
 * @example resolveRuleSet({ version: 'v2', effectiveFrom: '2026-01-01T00:00:00Z', attribution: { model: 'linear' } })
 */
export function resolveRuleSet(input: unknown, source = 'rule set'): RuleSet {
  if (!isPlainObject(input))
    throw new ValidationError(`${source} must be a JSON object`, [{ path: '', message: 'not an object' }]);
  const known = new Set(Object.keys(DEFAULT_RULES));
  const unknownKeys = Object.keys(input).filter((k) => !known.has(k));
  if (unknownKeys.length > 0) {
    throw new ValidationError(
      `${source}: unknown field ${unknownKeys.map((k) => `"${k}"`).join(', ')}`,
      unknownKeys.map((k) => ({ path: k, message: 'unknown rule-set field' })),
    );
  }
  const merged = mergeRules(DEFAULT_RULES, input);
  const parsed = RuleSetSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ValidationError(
      `${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}
