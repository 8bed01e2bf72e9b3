/**
 * @referral-ledger/adapters: durable event stores (SQLite on `node:sqlite`, PostgreSQL,
 * EventStoreDB/KurrentDB), opening a store from a CLI target, importers and exporters.
 */
export * from './sqlite/store.ts';
export * from './sqlite/read-ahead.ts';
export * from './open-store.ts';
export * from './files.ts';
export * from './postgres/store.ts';
export * from './runner/runner.ts';
export type * from './runner/types.ts';
export * from './eventstoredb/store.ts';
export * from './ingest/index.ts';
export * from './integrity/index.ts';
export * from './privacy/index.ts';
export * from './payouts/index.ts';
export * from './notifications/index.ts';
