/** Crypto-shredding of personal data (SPEC §10): per-subject keys, sealing, erasure. */
export * from './erase.ts';
export * from './fields.ts';
export * from './keys.ts';
export * from './store.ts';
