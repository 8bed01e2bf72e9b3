import { normaliseEmail } from '../normalise.ts';

/**
 * A keyed hash: the same input gives the same hex string under the same secret, and nothing
 * about the input can be learned without the secret. The ledger uses it for lead guard keys
 * and for default subject ids (SPEC §10), so matching keeps working after erasure.
 */
export type KeyHasher = (input: string) => Promise<string>;

/**
 * The secret used when none is given. It is public, so hashes made with it protect nothing:
 * fine for development and tests, never for a store holding real people's data. The privacy
 * tooling supplies a per-store secret (`REFERRAL_LEDGER_SECRET`).
 */
export const DEVELOPMENT_SECRET = 'referral-ledger-development-secret-do-not-use-in-production';

/** Each byte's two lower-case hex digits. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex(buf: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(buf)) s += HEX[b]!;
  return s;
}

/**
 * HMAC-SHA-256 under `secret` through Web Crypto (`globalThis.crypto.subtle`: Node, Deno,
 * browsers), as lower-case hex.
 *
 * @example const hash = hmacKeyHasher('s3cret'); await hash('email:ana@acme.example') // '5d1c…'
 */
export function hmacKeyHasher(secret: string): KeyHasher {
  const enc = new TextEncoder();
  let key: ReturnType<typeof globalThis.crypto.subtle.importKey> | undefined;
  return async (input) => {
    key ??= globalThis.crypto.subtle.importKey(
      'raw',
      enc.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return hex(await globalThis.crypto.subtle.sign('HMAC', await key, enc.encode(input)));
  };
}

/** The guard key of a lead's normalised email: `lead-` + keyed hash of `email:<email>`. */
export async function leadEmailKey(hasher: KeyHasher, email: string): Promise<string> {
  return `lead-${await hasher(`email:${normaliseEmail(email)}`)}`;
}

/** The guard key of a lead's normalised domain: `lead-` + keyed hash of `domain:<domain>`. */
export async function leadDomainKey(hasher: KeyHasher, domain: string): Promise<string> {
  return `lead-${await hasher(`domain:${domain}`)}`;
}

/** The guard key serialising one partner's payouts. */
export function payoutGuardKey(partnerId: string): string {
  return `payouts-${partnerId}`;
}

/** The default subject id of an email: the keyed hash of the normalised email (SPEC §10). */
export async function subjectIdOf(hasher: KeyHasher, email: string): Promise<string> {
  return hasher(normaliseEmail(email));
}
