import { parseArgs } from 'node:util';
import { UsageError } from './io.ts';

export type FlagSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

/**
 * Parse a command's flags strictly: an unknown flag or a missing value is a `UsageError`
 * naming the flag, never silently ignored.
 */
export function parseFlags<T extends FlagSpec>(argv: readonly string[], spec: T, maxPositionals = 0) {
  try {
    const r = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
    if (r.positionals.length > maxPositionals) {
      throw new UsageError(`unexpected argument "${r.positionals[maxPositionals]}"`);
    }
    return r;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // Node's messages can run over several lines; the CLI prints one.
    const text = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const [first, ...more] = text.split('\n').map((l) => l.trim());
    const hint = more.find((l) => l.startsWith('Did you forget'));
    throw new UsageError(hint ? `${first} ${hint}` : (first ?? text));
  }
}

/** Validate an ISO-8601 timestamp flag (`--as-of`), naming the flag when it is bad. */
export function timestampFlag(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(withZone) ||
    Number.isNaN(Date.parse(withZone))
  ) {
    throw new UsageError(
      `--${name} "${value}" is not an ISO-8601 timestamp with an offset (e.g. 2026-03-01T00:00:00Z)`,
    );
  }
  return new Date(Date.parse(withZone)).toISOString();
}
