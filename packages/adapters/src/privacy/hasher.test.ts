import { hmacKeyHasher } from '@referral-ledger/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeHmacKeyHasher } from './hasher.ts';

describe('nodeHmacKeyHasher', () => {
  it('gives the Web Crypto hasher’s hashes for any secret and input (stored match keys depend on it)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.string({ unit: 'binary' }),
        async (secret, input) => {
          expect(await nodeHmacKeyHasher(secret)(input)).toBe(await hmacKeyHasher(secret)(input));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an empty secret, as Web Crypto does', async () => {
    await expect(nodeHmacKeyHasher('')('x')).rejects.toThrow(/zero-length/);
    await expect(hmacKeyHasher('')('x')).rejects.toThrow();
  });

  it('is HMAC-SHA-256 as hex (RFC 4231 test case 2)', async () => {
    expect(await nodeHmacKeyHasher('Jefe')('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
