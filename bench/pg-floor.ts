/**
 * The floor under the PostgreSQL store: bare `pg` statements (no ledger code) writing
 * prebuilt rows into the store's `events` table shape, one event per transaction and 100 per
 * transaction, so you can see what the server, the disk and the driver allow before blaming
 * (or crediting) the store. Each variant runs in a throw-away schema.
 *
 *   pnpm bench:pg-floor [--rows 100000] [--single 5000] [--variants insert,insert+head,...]
 *
 * Variants: `insert` (one INSERT per commit), `insert+head` (the INSERT and the `log_head`
 * update in one statement, as an append must), `select1` (a round trip with no write and no
 * commit: the driver + network floor), `batch` (100 rows per INSERT via `unnest`, one commit),
 * `batch+head` (the same plus the `log_head` update). A `+c` suffix declares `stream_id` and
 * `event_id` with `COLLATE "C"` (byte order) instead of the database's collation.
 */
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '../packages/adapters/src/index.ts';
import { flag, PG_URL, report } from './store-bench-lib.ts';

const rows = Number(flag('rows', '100000'));
const single = Number(flag('single', '5000'));
const variants = flag('variants', 'select1,insert,insert+head,batch,batch+head').split(',');

const data = JSON.stringify({ partnerId: 'P-1', tier: 'gold', reason: 'volume' });
const meta = () => JSON.stringify({ eventId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z' });

// `pg` is the adapters package's peer dependency: borrow a store's pool (its own schema
// stays empty) rather than importing the driver from the workspace root.
const owner = await getPostgreSQLEventStore({
  connectionString: PG_URL,
  schema: `rl_floor_pool_${process.pid}`,
  poolConfig: { max: 1 },
});

async function run(variant: string): Promise<void> {
  const client = await owner.pool.connect();
  const schema = `rl_floor_${process.pid}_${Date.now()}`;
  const s = `"${schema}"`;
  const c = variant.endsWith('+c') ? ' COLLATE "C"' : '';
  await client.query(`CREATE SCHEMA ${s};
    CREATE TABLE ${s}.events (position bigint PRIMARY KEY, stream_id text${c} NOT NULL, revision bigint NOT NULL,
      event_id text${c} NOT NULL UNIQUE, type text NOT NULL, data json NOT NULL, metadata json NOT NULL,
      UNIQUE (stream_id, revision));
    CREATE TABLE ${s}.log_head (id boolean PRIMARY KEY DEFAULT true CHECK (id), position bigint NOT NULL);
    INSERT INTO ${s}.log_head VALUES (true, 0);`);
  const batch = variant.startsWith('batch');
  const base = variant.replace(/\+c$/, '');
  const n = batch ? rows : single;
  const lat: number[] = [];
  const t0 = performance.now();
  if (variant === 'select1') {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await client.query({ name: 'one', text: 'SELECT 1' });
      lat.push(performance.now() - t);
    }
  } else if (!batch) {
    const text =
      base === 'insert'
        ? `INSERT INTO ${s}.events VALUES ($1, $2, $3, $4, 'TierChanged', $5, $6)`
        : `WITH h AS (UPDATE ${s}.log_head SET position = position + 1 RETURNING position)
           INSERT INTO ${s}.events SELECT h.position, $2, $3, $4, 'TierChanged', $5, $6 FROM h WHERE $1::bigint > 0`;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const m = meta();
      await client.query({
        name: variant,
        text,
        values: [i + 1, `partner-P-${i >> 3}`, i & 7, m.slice(12, 48), data, m],
      });
      lat.push(performance.now() - t);
    }
  } else {
    const text =
      base === 'batch'
        ? `INSERT INTO ${s}.events SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::json[])`
        : `WITH h AS (UPDATE ${s}.log_head SET position = position + cardinality($1::bigint[]) RETURNING position)
           INSERT INTO ${s}.events SELECT h.position - cardinality($1::bigint[]) + t.o, t.s, t.r, t.i, t.ty, t.d, t.m
             FROM h, unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::json[]) WITH ORDINALITY AS t (p, s, r, i, ty, d, m, o)`;
    for (let i = 0; i < n; i += 100) {
      const cols: unknown[][] = [[], [], [], [], [], [], []];
      for (let j = i; j < i + 100; j++) {
        const m = meta();
        cols[0]!.push(j + 1);
        cols[1]!.push(`partner-P-${j >> 3}`);
        cols[2]!.push(j & 7);
        cols[3]!.push(m.slice(12, 48));
        cols[4]!.push('TierChanged');
        cols[5]!.push(data);
        cols[6]!.push(m);
      }
      const t = performance.now();
      await client.query({ name: variant, text, values: cols });
      lat.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  report({
    store: 'postgres',
    mode: `FLOOR ${variant}`,
    events: n,
    seconds,
    p50ms: lat[Math.floor(lat.length / 2)]!,
    p99ms: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]!,
  });
  await client.query(`DROP SCHEMA ${s} CASCADE`);
  client.release();
}

for (const v of variants) await run(v);
await owner.dropSchema();
