/** Object keys as JSON strings, by key: a log repeats the same few dozen keys. */
const quotedKeys = new Map<string, string>();

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Two
 * values that mean the same serialise to the same text, so it can be hashed and compared.
 * Content keys, derived event ids and the integrity chain hash this text, so its bytes must
 * never change: keys sorted by UTF-16 code units (`Array.prototype.sort`), strings and
 * numbers as `JSON.stringify` writes them, `undefined` in an array as `null`, no `toJSON`.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('non-finite number in JSON');
    return JSON.stringify(value);
  }
  // Built by concatenation (one rope, flattened once by whoever reads it) rather than
  // arrays of parts joined at every level: a content key is computed per appended event.
  if (Array.isArray(value)) {
    let s = '[';
    const n = value.length;
    for (let i = 0; i < n; i++) {
      if (i > 0) s += ',';
      // A hole is skipped by `map`, which left it empty between its commas.
      if (!(i in value)) continue;
      const v: unknown = value[i];
      // A function or symbol gives `undefined` (as `JSON.stringify`), which `join` wrote as
      // nothing: so does this, or the text (and ids derived from it) would change.
      const t: string | undefined = v === undefined ? 'null' : canonicalJson(v);
      if (t !== undefined) s += t;
    }
    return `${s}]`;
  }
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    s += first ? quoteKey(k) : `,${quoteKey(k)}`;
    s += `:${canonicalJson(v)}`;
    first = false;
  }
  return `${s}}`;
}
