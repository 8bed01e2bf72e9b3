import { ConcurrencyError } from '@referral-ledger/core';
import { sampleEvent } from '@referral-ledger/core/testing';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, quoteIdent } from './schema.ts';
import { getPostgreSQLEventStore, type PostgreSQLEventStore } from './store.ts';
import { pgTestTarget, randomSchema } from './test-config.ts';

const target = await pgTestTarget();

if (target.url) {
  const url = target.url;
  let store: PostgreSQLEventStore | undefined;
  afterEach(async () => {
    await store?.dropSchema();
    store = undefined;
  });

  /** A schema as an older library left it: migrations 1..version applied, nothing after. */
  async function schemaAtVersion(schema: string, version: number): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const s = quoteIdent(schema);
    await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE ${s}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const [i, step] of migrations(schema).slice(0, version).entries()) {
      await client.query(step);
      await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [i + 1]);
    }
    return client;
  }

  describe('postgres migrations', () => {
    it('migrates a version-2 schema holding events, and appends continue its positions and revisions', async () => {
      const schema = randomSchema();
      const client = await schemaAtVersion(schema, 2);
      const s = quoteIdent(schema);
      const old = [sampleEvent('A'), sampleEvent('A'), sampleEvent('B')];
      // Three events written by the version-2 append_events, as the previous library did.
      const r = await client.query(
        `SELECT ${s}.append_events($1::text[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::json[], $9::json[], $10) AS r`,
        [
          ['partner-A', 'partner-B'],
          [-1, -1],
          [2, 1],
          [1, 1, 2],
          [0, 1, 0],
          old.map((e) => e.metadata.eventId),
          old.map((e) => e.type),
          old.map((e) => JSON.stringify(e.data)),
          old.map((e) => JSON.stringify(e.metadata)),
          'unused_channel',
        ],
      );
      expect(r.rows[0].r).toEqual(['0', '0', '0']);
      await client.end();

      store = await getPostgreSQLEventStore({ connectionString: url, schema });
      const versions = await store.pool.query(
        `SELECT array_agg(version ORDER BY version) AS v FROM ${s}.schema_migrations`,
      );
      expect(versions.rows[0].v).toEqual(migrations(schema).map((_, i) => i + 1));
      expect(migrations(schema).length).toBeGreaterThanOrEqual(3);

      const next = sampleEvent('A');
      expect(await store.append('partner-A', [next], { expectedRevision: 1 })).toEqual({
        streamId: 'partner-A',
        nextExpectedRevision: 2,
        appended: 1,
        positions: [4],
      });
      // A retry of an event the old function stored is still recognised, and revisions hold.
      expect(await store.append('partner-B', [old[2]!])).toMatchObject({ appended: 0, positions: [] });
      await expect(
        store.append('partner-B', [sampleEvent('B')], { expectedRevision: 'no-stream' }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.readAll()).map((e) => [e.position, e.streamId, e.revision])).toEqual([
        [1, 'partner-A', 0],
        [2, 'partner-A', 1],
        [3, 'partner-B', 0],
        [4, 'partner-A', 2],
      ]);
      expect(await store.headPosition()).toBe(4);
    });
  });
} else {
  describe.skip(`postgres migrations — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
