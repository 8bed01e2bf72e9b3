import { describeEventStoreContract } from '@referral-ledger/core/testing';
import { describe, it } from 'vitest';
import { openStore } from '../open-store.ts';
import { getPostgreSQLEventStore, type PostgreSQLEventStore } from './store.ts';
import { pgTestTarget, randomSchema } from './test-config.ts';

const target = await pgTestTarget();

if (target.url) {
  const url = target.url;
  describeEventStoreContract(
    'postgres',
    async () =>
      getPostgreSQLEventStore({ connectionString: url, schema: randomSchema(), pollIntervalMs: 100 }),
    { teardown: (s) => (s as PostgreSQLEventStore).dropSchema() },
  );
  // The CLI's stack (integrity and privacy over PostgreSQL): its appendChunks streams.
  describeEventStoreContract(
    'postgres with integrity and privacy (openStore)',
    async () => openStore(`${url}${url.includes('?') ? '&' : '?'}schema=${randomSchema()}`),
    { teardown: (s) => (s as unknown as PostgreSQLEventStore).dropSchema() },
  );
} else {
  describe.skip(`event store contract: postgres — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
