import { sha1 } from './sha1.ts';

/** The namespace of Referral Ledger's name-based event ids (a fixed, random UUID). */
export const EVENT_ID_NAMESPACE = '6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f';

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function format(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A version-5 (name-based, SHA-1) UUID of `name` in `namespace` (RFC 9562 §5.5). */
export function uuidV5(name: string, namespace = EVENT_ID_NAMESPACE): string {
  const ns = uuidBytes(namespace);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, ns.length);
  const hash = sha1(input).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return format(hash);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** A random (version 4) UUID from the platform's Web Crypto (Node, browsers, Deno). */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
