import { type NewEvent, readAllEvents } from '@referral-ledger/core';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPostgreSQLEventStore, type PostgreSQLEventStore } from '../postgres/store.ts';
import { pgTestTarget, randomSchema } from '../postgres/test-config.ts';
import { eraseSubject } from '../privacy/erase.ts';
import { tableKeyStore } from '../privacy/keys.ts';
import { withPrivacy } from '../privacy/store.ts';
import { projectionAnchorStore, withIntegrity } from './store.ts';
import { appendSample } from './tamper.fixture.ts';
import { type VerifyResult, verifyLog } from './verify.ts';

const target = await pgTestTarget();

if (target.url) {
  const url = target.url;
  describe('verify on tampered PostgreSQL rows', () => {
    const schema = randomSchema('rl_integrity');
    let store: PostgreSQLEventStore;
    let client: pg.Client;
    const sql = (text: string) => client.query(text.replaceAll('$s', schema));
    const verify = async (): Promise<VerifyResult> =>
      verifyLog(readAllEvents(store), {
        anchor: await projectionAnchorStore(store).load(),
        streamRevision: (id) => store.streamRevision(id),
      });

    beforeAll(async () => {
      client = new pg.Client({ connectionString: url });
      await client.connect();
    });
    afterAll(async () => {
      await client.end();
    });
    beforeEach(async () => {
      store = await getPostgreSQLEventStore({ connectionString: url, schema });
      await appendSample(withIntegrity(store));
      return async () => {
        await store.dropSchema();
        await store.close();
      };
    });

    it('finds untouched rows intact', async () => {
      expect(await verify()).toMatchObject({ status: 'intact', events: 8, anchor: { position: 8 } });
    });

    it('still verifies after a subject is erased, and the rows hold no plaintext', async () => {
      const sealed = await withPrivacy(withIntegrity(store), {
        keys: tableKeyStore(store),
        secret: 'pg-test',
      });
      await sealed.append('referral-R-9', [
        {
          streamId: 'referral-R-9',
          type: 'ReferralSubmitted',
          data: {
            referralId: 'R-9',
            partnerId: 'P-1',
            channel: 'portal',
            lead: { firstName: 'Ana', lastName: 'Lopezzi', email: 'ana@zeta.example', company: 'Zeta' },
          },
          metadata: { occurredAt: '2026-01-09T09:00:00Z' },
        } as unknown as NewEvent,
      ]);
      const rows = await sql(`SELECT data::text AS d FROM $s.events`);
      expect(rows.rows.some((r: { d: string }) => r.d.includes('Lopezzi'))).toBe(false);
      await eraseSubject(sealed, { email: 'ana@zeta.example', requestedBy: 'dpo', reason: 'test' });
      expect(await verify()).toMatchObject({ status: 'intact', events: 10 });
      const [read] = await sealed.readStream('referral-R-9');
      expect(read!.metadata.erased).toBe(true);
      expect((read!.data as { lead: { lastName: unknown } }).lead.lastName).toBeNull();
    });

    it('names the row whose field was edited', async () => {
      await sql(
        `UPDATE $s.events SET data = replace(data::text, '"gold"', '"bronze"')::json WHERE position = 5`,
      );
      const r = await verify();
      expect(r).toMatchObject({
        status: 'broken',
        problem: { kind: 'altered', position: 5, streamId: 'partner-P-1', revision: 2 },
      });
    });

    it('names the place after a deleted row', async () => {
      await sql('DELETE FROM $s.events WHERE position = 3');
      expect(await verify()).toMatchObject({
        status: 'broken',
        problem: { kind: 'missing-or-inserted', position: 5, streamId: 'partner-P-1' },
      });
    });

    it('catches two rows swapped in the global order', async () => {
      await sql(`UPDATE $s.events SET position = -4 WHERE position = 4;
        UPDATE $s.events SET position = 4 WHERE position = 3;
        UPDATE $s.events SET position = 3 WHERE position = -4;`);
      expect(await verify()).toMatchObject({ status: 'broken', problem: { kind: 'checkpoint-mismatch' } });
    });

    it('catches two rows of one stream swapped (revisions exchanged)', async () => {
      await sql(`UPDATE $s.events SET revision = -1 WHERE position = 3;
        UPDATE $s.events SET revision = 1 WHERE position = 5;
        UPDATE $s.events SET revision = 2 WHERE position = 3;`);
      expect(await verify()).toMatchObject({
        status: 'broken',
        problem: { position: 3, streamId: 'partner-P-1' },
      });
    });

    it('catches a truncated tail', async () => {
      await sql('DELETE FROM $s.events WHERE position >= 7');
      const r = await verify();
      expect(r).toMatchObject({ status: 'broken', problem: { kind: 'truncated' } });
      if (r.status === 'broken') expect(r.problem.message).toContain('log ends at position 6');
    });
  });
} else {
  describe.skip(`verify on tampered PostgreSQL rows — SKIPPED: ${target.reason}`, () => {
    it('runs against a PostgreSQL server', () => {});
  });
}
