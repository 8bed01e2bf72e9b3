import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllEvents } from '@referral-ledger/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { getSQLiteEventStore, type SQLiteEventStore } from '../sqlite/store.ts';
import { projectionAnchorStore, withIntegrity } from './store.ts';
import { appendSample } from './tamper.fixture.ts';
import { type VerifyResult, verifyLog } from './verify.ts';

async function verifyStore(store: SQLiteEventStore): Promise<VerifyResult> {
  return verifyLog(readAllEvents(store), {
    anchor: await projectionAnchorStore(store).load(),
    streamRevision: (id) => store.streamRevision(id),
  });
}

describe('verify on a tampered SQLite file', () => {
  let store: SQLiteEventStore;
  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-integrity-'));
    store = getSQLiteEventStore({ path: join(dir, 'ledger.db') });
    await appendSample(withIntegrity(store));
    return () => store.close();
  });

  it('finds an untouched store intact, with the checkpoint at the head', async () => {
    const r = await verifyStore(store);
    expect(r.status).toBe('intact');
    if (r.status !== 'intact') return;
    expect(r.events).toBe(8);
    expect(r.streams).toBe(3);
    expect(r.anchor?.position).toBe(8);
  });

  it('names the event whose field was edited', async () => {
    store.db.exec(`UPDATE events SET data = replace(data, '"gold"', '"bronze"') WHERE position = 5`);
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem).toMatchObject({ kind: 'altered', position: 5, streamId: 'partner-P-1', revision: 2 });
    expect(r.problem.message).toContain('position 5, stream partner-P-1, revision 2, event ');
  });

  it('names the place after a deleted row in the middle of a stream', async () => {
    store.db.exec('DELETE FROM events WHERE position = 3');
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem).toMatchObject({
      kind: 'missing-or-inserted',
      position: 5,
      streamId: 'partner-P-1',
      revision: 2,
    });
  });

  it('catches two rows of one stream swapped', async () => {
    // Swap the contents of revisions 1 and 2 of partner-P-1 (positions 3 and 5).
    store.db.exec(`
      CREATE TEMP TABLE a AS SELECT type, data, metadata, event_id FROM events WHERE position = 3;
      CREATE TEMP TABLE b AS SELECT type, data, metadata, event_id FROM events WHERE position = 5;
      UPDATE events SET event_id = 'tmp' WHERE position = 3;
      UPDATE events SET type = (SELECT type FROM a), data = (SELECT data FROM a), metadata = (SELECT metadata FROM a),
        event_id = (SELECT event_id FROM a) WHERE position = 5;
      UPDATE events SET type = (SELECT type FROM b), data = (SELECT data FROM b), metadata = (SELECT metadata FROM b),
        event_id = (SELECT event_id FROM b) WHERE position = 3;`);
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem).toMatchObject({ kind: 'altered', position: 3, streamId: 'partner-P-1', revision: 1 });
  });

  it('catches two rows of different streams swapped in the global order (through the checkpoint)', async () => {
    store.db.exec(`
      UPDATE events SET position = -4 WHERE position = 4;
      UPDATE events SET position = 4 WHERE position = 3;
      UPDATE events SET position = 3 WHERE position = -4;`);
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem).toMatchObject({ kind: 'checkpoint-mismatch', position: 8 });
  });

  it('catches a truncated tail through the checkpoint', async () => {
    store.db.exec('DELETE FROM events WHERE position >= 7');
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem.kind).toBe('truncated');
    expect(r.problem.message).toContain('checkpoint covers position 8');
    expect(r.problem.message).toContain('log ends at position 6');
  });

  it('still catches a truncated tail without the checkpoint, from the stream table', async () => {
    store.db.exec(
      `DELETE FROM events WHERE position = 8; DELETE FROM projections WHERE name = 'integrity-anchor'`,
    );
    const r = await verifyStore(store);
    expect(r.status).toBe('broken');
    if (r.status !== 'broken') return;
    expect(r.problem).toMatchObject({ kind: 'truncated', streamId: 'partner-P-1', revision: 2, position: 5 });
  });

  it('reports a store written without the integrity layer as unverifiable, not intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-integrity-'));
    const plain = getSQLiteEventStore({ path: join(dir, 'plain.db') });
    await appendSample(plain);
    const r = await verifyStore(plain);
    await plain.close();
    expect(r.status).toBe('unverifiable');
    if (r.status !== 'unverifiable') return;
    expect(r.withoutHash).toBe(8);
    expect(r.first.position).toBe(1);
  });
});
