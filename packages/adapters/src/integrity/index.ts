/** Tamper evidence for any event store (SPEC §8 Integrity): chain hashes, checkpoints, verification. */
export * from './chain.ts';
export * from './store.ts';
export * from './verify.ts';
export * from './file.ts';
