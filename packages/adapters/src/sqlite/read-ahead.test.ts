import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  forEachEvent,
  type NewEvent,
  type RecordedEvent,
  registerUpcaster,
  unregisterUpcaster,
} from '@referral-ledger/core';
import { LedgerModel, partnerView } from '@referral-ledger/projections';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forEachStoredEvent, openStore } from '../open-store.ts';
import type { ReadAheadWorkerStats } from './read-ahead.ts';
import { eraseSubject } from '../privacy/erase.ts';
import type { PrivateStore } from '../privacy/store.ts';
import { pgTestTarget, randomSchema } from '../postgres/test-config.ts';
import { ledgerFixture } from '../testing/ledger-fixture.ts';
import type { EventStore } from '@referral-ledger/core';

type Opened = Awaited<ReturnType<typeof openStore>>;

const ev = (streamId: string, type: string, data: unknown, occurredAt: string): NewEvent =>
  ({ streamId, type, data, metadata: { occurredAt } }) as unknown as NewEvent;

/** A ledger with sealed fields of every kind: leads, a customer referrer, contact emails. */
async function fill(store: Opened): Promise<void> {
  await store.appendBatch(ledgerFixture(12, { tierChanges: 2 }));
  await store.append('partner-C-1', [
    ev(
      'partner-C-1',
      'PartnerEnrolled',
      {
        partnerId: 'C-1',
        name: 'Carla Customer',
        program: 'customer',
        tier: 'bronze',
        contactEmail: 'carla@client.example',
        payoutCurrency: 'EUR',
      },
      '2026-01-02T00:00:00Z',
    ),
  ]);
  await store.append('referral-CR-1', [
    ev(
      'referral-CR-1',
      'ReferralSubmitted',
      {
        referralId: 'CR-1',
        partnerId: 'C-1',
        channel: 'portal',
        lead: {
          firstName: 'Ana',
          lastName: 'Lopezzi',
          email: 'ana@zeta.example',
          company: 'Zeta',
          notes: 'fair',
        },
      },
      '2026-01-03T00:00:00Z',
    ),
  ]);
  await store.append('opportunity-OZ-1', [
    ev(
      'opportunity-OZ-1',
      'OpportunityOpened',
      {
        opportunityId: 'OZ-1',
        accountDomain: 'zeta.example',
        accountName: 'Zeta',
        value: { amount: 500_000, currency: 'EUR' },
        ownerId: 'rep-1',
        contactEmails: ['ana@zeta.example', 'bo@zeta.example'],
      },
      '2026-01-10T00:00:00Z',
    ),
  ]);
  // One subject erased: its fields read as null, its events as erased.
  await eraseSubject(store as PrivateStore<EventStore>, {
    email: 'ana@zeta.example',
    requestedBy: 'dpo',
    reason: 'test',
    occurredAt: '2026-01-20T00:00:00Z',
  });
  await store.append('referral-R-late', [
    ev(
      'referral-R-late',
      'ReferralSubmitted',
      {
        referralId: 'R-late',
        partnerId: 'P-3',
        channel: 'portal',
        lead: { firstName: 'Li', lastName: 'Wu', email: 'li@late.example', company: 'Late' },
      },
      '2026-01-21T00:00:00Z',
    ),
  ]);
}

/** `warm` reads every live key and nothing else; a destroyed key stays destroyed. */
async function checkWarm(store: Opened): Promise<void> {
  const states = store as unknown as {
    saveProjection(n: string, v: string, p: number, s: string): Promise<void>;
    loadProjectionsByPrefix(prefix: string, version: string): Promise<Map<string, unknown>>;
  };
  await states.saveProjection('privacy-keyz', 'v1', 0, 'not a key');
  await states.saveProjection('privacy-key:other-version', 'v2', 0, 'not this version');
  const rows = await states.loadProjectionsByPrefix('privacy-key:', 'v1');
  expect(rows.size).toBeGreaterThan(10);
  for (const name of rows.keys()) expect(name.startsWith('privacy-key:')).toBe(true);
  expect(rows.has('privacy-key:other-version')).toBe(false);
  const expected = await plain(store);
  await store.privacy!.keys.warm!();
  expect(await plain(store)).toEqual(expected);
  const erased = expected.find((e) => e.streamId === 'referral-CR-1')!;
  expect(erased.metadata.erased).toBe(true);
}

async function plain(store: Opened, after = 0): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  await forEachEvent(store, (e) => out.push(e), { after, pageSize: 5 });
  return out;
}

async function ahead(store: Opened, after = 0, pageSize = 7): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let stats: ReadAheadWorkerStats | undefined;
  const n = await forEachStoredEvent(store, (e) => out.push(e), {
    after,
    pageSize,
    readAhead: 'worker',
    onWorkerStats: (s) => {
      stats = s;
    },
  });
  expect(n).toBe(out.length);
  // Every page was opened by the worker: the comparisons below test its path, not the fallback.
  expect(stats).toMatchObject({ pages: Math.ceil(n / pageSize), pagesOpenedHere: 0 });
  return out;
}

describe('forEachStoredEvent: a SQLite store read ahead in a worker', () => {
  let store: Opened;
  beforeEach(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'rl-ahead-')), 'ledger.db'), { secret: 'unit' });
    await fill(store);
    return () => store.close();
  });

  it('yields exactly the events of the plain read, in order, erased subjects included', async () => {
    const expected = await plain(store);
    const got = await ahead(store);
    expect(got).toEqual(expected);
    expect(got.map((e) => e.position)).toEqual([...got.keys()].map((i) => expected[i]!.position));
    // What the comparison covers: opened, erased and untouched personal fields.
    const byStream = new Map(got.map((e) => [e.streamId, e]));
    const lead = (id: string) =>
      (byStream.get(id)!.data as unknown as { lead: Record<string, unknown> }).lead;
    expect(lead('referral-R-1')).toMatchObject({ firstName: 'Jane', email: 'jane@acct-1.example' });
    expect(lead('referral-CR-1')).toMatchObject({ firstName: null, email: null, company: 'Zeta' });
    expect(byStream.get('referral-CR-1')!.metadata.erased).toBe(true);
    expect(byStream.get('referral-R-1')!.metadata.erased).toBeUndefined();
    expect(byStream.get('opportunity-OZ-1')!.data).toMatchObject({
      contactEmails: [null, 'bo@zeta.example'],
    });
    expect(byStream.get('partner-C-1')!.data).toMatchObject({
      name: 'Carla Customer',
      contactEmail: 'carla@client.example',
    });
    expect(lead('referral-R-late')).toMatchObject({ firstName: 'Li' });
  });

  it('starts after a position and pages in any size like the plain read', async () => {
    const all = await plain(store);
    const from = all[9]!.position;
    expect(await ahead(store, from, 1)).toEqual(await plain(store, from));
    expect(await ahead(store, 0, 10_000)).toEqual(all);
    expect(await ahead(store, all[all.length - 1]!.position)).toEqual([]);
  });

  it('gives every partner-scoped view the same answer, and no other partner’s referrals', async () => {
    const model = async (read: (s: Opened) => Promise<RecordedEvent[]>) => {
      const m = new LedgerModel({ asOf: '2026-06-30T00:00:00Z' });
      for (const e of await read(store)) m.apply(e);
      return m.finish();
    };
    const a = await model((s) => plain(s));
    const b = await model((s) => ahead(s));
    for (const p of ['P-1', 'P-3', 'C-1']) expect(partnerView(b, p)).toEqual(partnerView(a, p));
    const ids = partnerView(b, 'P-3')!.referrals.map((r) => r.referralId);
    expect(ids.sort()).toEqual(['R-3', 'R-late']);
  });

  it('refuses an altered ciphertext as the privacy layer does, before applying its page', async () => {
    const db = (store as unknown as { db: { exec(sql: string): void } }).db;
    // Flip one character of the sealed first name of R-2's lead.
    db.exec(
      `UPDATE events SET data = json_set(data, '$.lead.firstName',
         substr(data ->> '$.lead.firstName', 1, 80) ||
         CASE substr(data ->> '$.lead.firstName', 81, 1) WHEN 'A' THEN 'B' ELSE 'A' END ||
         substr(data ->> '$.lead.firstName', 82))
       WHERE stream_id = 'referral-R-2'`,
    );
    await expect(plain(store)).rejects.toMatchObject({ code: 'privacy.sealed-value-invalid' });
    const seen: number[] = [];
    await expect(
      forEachStoredEvent(store, (e) => seen.push(e.position), { pageSize: 1000, readAhead: 'worker' }),
    ).rejects.toMatchObject({ code: 'privacy.sealed-value-invalid' });
    expect(seen).toEqual([]);
  });

  describe('with an upcaster registered', () => {
    afterEach(() => unregisterUpcaster('ReferralSubmitted', 1));
    it('opens the events it changes as the privacy layer does', async () => {
      registerUpcaster('ReferralSubmitted', 1, (d) => ({ ...(d as object), channel: 'upcast' }));
      const expected = await plain(store);
      const got = await ahead(store);
      expect(got).toEqual(expected);
      const r1 = got.find((e) => e.streamId === 'referral-R-1')!;
      expect(r1.data).toMatchObject({ channel: 'upcast', lead: { firstName: 'Jane' } });
    });
  });

  it('neither skips nor repeats events appended while it reads, and opens them', async () => {
    const before = (await plain(store)).length;
    const seen: RecordedEvent[] = [];
    let appending: Promise<unknown> = Promise.resolve();
    await forEachStoredEvent(
      store,
      (e) => {
        seen.push(e);
        // Once, early: a new sealed event lands behind pages the worker may have foreseen.
        if (seen.length === 2)
          appending = store.append('referral-R-new', [
            ev(
              'referral-R-new',
              'ReferralSubmitted',
              {
                referralId: 'R-new',
                partnerId: 'P-2',
                channel: 'portal',
                lead: { firstName: 'Nia', lastName: 'Ode', email: 'nia@new.example', company: 'New' },
              },
              '2026-01-22T00:00:00Z',
            ),
          ]);
      },
      { pageSize: 5, readAhead: 'worker' },
    );
    await appending;
    const after = await plain(store);
    expect(after.length).toBe(before + 1);
    // Whether the read reached the new event depends on when the append committed; what it
    // read is the log's prefix, in order, opened as the plain read opens it.
    expect([before, before + 1]).toContain(seen.length);
    expect(seen).toEqual(after.slice(0, seen.length));
  });

  it('warms the key cache with every live key, and only keys', async () => {
    await checkWarm(store);
  });

  it('reads small logs without a worker in auto mode, with the same events', async () => {
    const out: RecordedEvent[] = [];
    await forEachStoredEvent(store, (e) => out.push(e));
    expect(out).toEqual(await plain(store));
  });
});

const pg = await pgTestTarget();

describe.runIf(pg.url !== null)(`forEachStoredEvent on PostgreSQL (${pg.reason})`, () => {
  let store: Opened;
  beforeEach(async () => {
    const url = new URL(pg.url!);
    url.searchParams.set('schema', randomSchema('rl_stored'));
    store = await openStore(url.toString(), { secret: 'unit' });
    await fill(store);
    return async () => {
      await (store as unknown as { dropSchema(): Promise<void> }).dropSchema();
      await store.close();
    };
  });

  it('warms the key cache with every live key, and only keys', async () => {
    await checkWarm(store);
  });

  it('yields exactly the events of the plain read (no worker: not a SQLite file)', async () => {
    const expected = await plain(store);
    const got: RecordedEvent[] = [];
    const pages: number[] = [];
    const n = await forEachStoredEvent(store, (e) => got.push(e), {
      pageSize: 4,
      onPage: (k) => pages.push(k),
    });
    expect(n).toBe(expected.length);
    expect(got).toEqual(expected);
    expect(pages.at(-1)).toBe(expected.length);
    const lead = got.find((e) => e.streamId === 'referral-CR-1')!;
    expect(lead.metadata.erased).toBe(true);
    const from = expected[5]!.position;
    const rest: RecordedEvent[] = [];
    await forEachStoredEvent(store, (e) => rest.push(e), { after: from, pageSize: 3 });
    expect(rest).toEqual(await plain(store, from));
  });
});
