import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '@referral-ledger/core/testing';
import { afterAll } from 'vitest';
import { getSQLiteEventStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('sqlite (file)', async () =>
  getSQLiteEventStore({ path: join(dir, `t${n++}.db`) }),
);
describeEventStoreContract('sqlite (:memory:)', async () => getSQLiteEventStore({ path: ':memory:' }));
