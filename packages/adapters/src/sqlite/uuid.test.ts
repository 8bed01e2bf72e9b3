import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalUuid } from './uuid.ts';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidChars = '0123456789abcdefABCDEF-g/:`@'.split('');
/** Strings of 35 to 37 characters drawn mostly from UUID-like characters, often one edit away from a UUID. */
const nearUuid = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc
    .tuple(fc.uuid(), fc.nat(35), fc.constantFrom(...uuidChars))
    .map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
  fc.tuple(fc.uuid(), fc.constantFrom(...uuidChars)).map(([u, c]) => u + c),
  fc.uuid().map((u) => u.slice(1)),
  fc.array(fc.constantFrom(...uuidChars), { minLength: 35, maxLength: 37 }).map((a) => a.join('')),
  fc.string(),
);

describe('isCanonicalUuid', () => {
  it('agrees with the canonical-UUID regular expression on UUIDs, near misses and any string', () => {
    fc.assert(
      fc.property(nearUuid, (s) => {
        expect(isCanonicalUuid(s)).toBe(CANONICAL_UUID.test(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts lowercase hyphenated UUIDs only', () => {
    expect(isCanonicalUuid('0b7e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isCanonicalUuid('0B7E2F3A-1C4D-4E5F-8A9B-0C1D2E3F4A5B')).toBe(false);
    expect(isCanonicalUuid('0b7e2f3a1c4d4e5f8a9b0c1d2e3f4a5b')).toBe(false);
    expect(isCanonicalUuid('0b7e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5g')).toBe(false);
    expect(isCanonicalUuid('0b7e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5b\n')).toBe(false);
  });
});
