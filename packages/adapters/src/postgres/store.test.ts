import { describeEventStoreContract } from '@referral-ledger/core/testing';
import { describe, it } from 'vitest';
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
} else {
  describe.skip(`event store contract: postgres — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
