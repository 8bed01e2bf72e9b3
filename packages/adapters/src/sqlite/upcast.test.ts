import { registerUpcaster, unregisterUpcaster } from '@referral-ledger/core';
import { afterEach, describe, expect, it } from 'vitest';
import { getSQLiteEventStore } from './store.ts';

// A hypothetical schema change: PartnerTierChanged v1 carried `why`, v2 calls it `reason`.
const v1ToV2 = (data: unknown) => {
  const { why, ...rest } = data as { why?: string };
  return why === undefined ? rest : { ...rest, reason: why };
};

describe('upcasting on read (SPEC §3.1)', () => {
  afterEach(() => unregisterUpcaster('PartnerTierChanged', 1));

  it('upcasts events stored under an older schema version and never rewrites the row', async () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    // An event written before the change, stored in the v1 shape (a UUID id is kept as 16 bytes).
    store.db
      .prepare(
        "INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, unhex(replace(?, '-', '')), ?, ?, ?)",
      )
      .run(
        'partner-P-1',
        0,
        '6f1c2d4e-0000-4c5d-9e7f-0a1b2c3d4e5f',
        'PartnerTierChanged',
        JSON.stringify({ partnerId: 'P-1', tier: 'gold', why: 'QBR' }),
        JSON.stringify({
          eventId: '6f1c2d4e-0000-4c5d-9e7f-0a1b2c3d4e5f',
          occurredAt: '2026-01-01T00:00:00Z',
          recordedAt: '2026-01-01T00:00:00Z',
        }),
      );
    store.db.prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?)').run('partner-P-1', 0);
    registerUpcaster('PartnerTierChanged', 1, v1ToV2);

    const [read] = await store.readStream('partner-P-1');
    expect(read!.data).toEqual({ partnerId: 'P-1', tier: 'gold', reason: 'QBR' });
    expect(read!.metadata.schemaVersion).toBe(2);
    const raw = store.db.prepare('SELECT data FROM events').get() as { data: string };
    expect(JSON.parse(raw.data)).toEqual({ partnerId: 'P-1', tier: 'gold', why: 'QBR' });

    // A new event is written in the current shape and stamped v2, so it is not upcast again.
    await store.append('partner-P-1', [
      {
        streamId: 'partner-P-1',
        type: 'PartnerTierChanged',
        data: { partnerId: 'P-1', tier: 'silver', reason: 'downgrade' },
        metadata: { occurredAt: '2026-02-01T00:00:00Z' },
      } as never,
    ]);
    const all = await store.readAll();
    expect(all[1]!.metadata.schemaVersion).toBe(2);
    expect(all[1]!.data).toEqual({ partnerId: 'P-1', tier: 'silver', reason: 'downgrade' });
    await store.close();
  });
});
