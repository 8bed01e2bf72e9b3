import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the PostgreSQL tests run, or why they are skipped (see docs/stores/postgres.md). */
export interface PgTestTarget {
  readonly url: string | null;
  readonly reason: string;
}

/**
 * `REFERRAL_LEDGER_PG_URL` when set (a failure to connect then fails the tests); else the
 * local default `postgres://postgres@127.0.0.1:5432/test` if it answers; else skipped.
 */
export async function pgTestTarget(): Promise<PgTestTarget> {
  const given = process.env.REFERRAL_LEDGER_PG_URL;
  if (given) return { url: given, reason: 'REFERRAL_LEDGER_PG_URL' };
  const fallback = 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: fallback, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return { url: fallback, reason: 'local default' };
  } catch (e) {
    await client.end().catch(() => {});
    return {
      url: null,
      reason: `no PostgreSQL: REFERRAL_LEDGER_PG_URL is unset and ${fallback} does not answer (${(e as Error).message})`,
    };
  }
}

/** A fresh schema name per test file or test, so runs never see each other's data. */
export function randomSchema(prefix = 'rl_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
