import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSQLiteEventStore } from '@referral-ledger/adapters';
import { createLedger, type EventStore } from '@referral-ledger/core';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'rl-embed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * node:sqlite answers synchronously, so without help the racing decisions would run one
 * after another; a random pause before each call makes them interleave as they would across
 * processes.
 */
function interleaving(inner: EventStore): EventStore {
  const pause = () => new Promise((r) => setTimeout(r, Math.random() * 3));
  return {
    ...inner,
    readStream: (...a) => pause().then(() => inner.readStream(...a)),
    streamRevision: (...a) => pause().then(() => inner.streamRevision(...a)),
    readAll: (...a) => pause().then(() => inner.readAll(...a)),
    appendBatch: (...a) => pause().then(() => inner.appendBatch(...a)),
  };
}

const partners = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6'];

describe('duplicate check under concurrency on SQLite', () => {
  it('two processes-worth of ledgers on one database file: exactly one racing submission is unflagged', async () => {
    const path = join(dir, 'race.db');
    const a = getSQLiteEventStore({ path });
    const b = getSQLiteEventStore({ path });
    try {
      const la = createLedger({ store: interleaving(a) });
      const lb = createLedger({ store: interleaving(b) });
      for (const p of partners) {
        await la.handle({
          type: 'EnrollPartner',
          data: {
            partnerId: p,
            name: p,
            program: 'partner',
            tier: 'gold',
            contactEmail: `pm@${p}.example`,
            payoutCurrency: 'USD',
          },
        });
      }
      const results = await Promise.all(
        partners.map((p, i) =>
          (i % 2 === 0 ? la : lb).handle({
            type: 'SubmitReferral',
            data: {
              referralId: `R-${i}`,
              partnerId: p,
              channel: 'api',
              lead: {
                firstName: 'Ana',
                lastName: 'Lima',
                email: `ana${i}@globex.example`,
                company: 'Globex',
              },
            },
          }),
        ),
      );
      const unflagged = results.filter((r) => !r.events.some((e) => e.type === 'ReferralDuplicateFlagged'));
      expect(unflagged).toHaveLength(1);
      expect((await a.readAll()).filter((e) => e.type === 'ReferralSubmitted')).toHaveLength(partners.length);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
