import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInMemoryEventStore, type NewEvent, readAllEvents } from '@referral-ledger/core';
import { describeEventStoreContract } from '@referral-ledger/core/testing';
import { describe, expect, it } from 'vitest';
import { importNdjsonFile } from '../files.ts';
import { memoryAnchorStore, withIntegrity } from '../integrity/store.ts';
import { verifyLog } from '../integrity/verify.ts';
import { memoryKeyStore } from './keys.ts';
import { withPrivacy } from './store.ts';

const sealedStack = async () => {
  const raw = getInMemoryEventStore();
  const store = await withPrivacy(withIntegrity(raw, { anchors: memoryAnchorStore() }), {
    keys: memoryKeyStore(),
    secret: 'unit',
  });
  return { raw, store };
};

// The full stack the CLI uses must keep every store guarantee.
describeEventStoreContract('memory with integrity and privacy', async () => (await sealedStack()).store);

const referral = (id: string, email: string): NewEvent =>
  ({
    streamId: `referral-${id}`,
    type: 'ReferralSubmitted',
    data: {
      referralId: id,
      partnerId: 'P-1',
      channel: 'portal',
      lead: { firstName: 'Ana', lastName: 'Lopezzi', email, company: 'Zeta', notes: 'met at the fair' },
    },
    metadata: { occurredAt: '2026-02-01T09:00:00Z' },
  }) as unknown as NewEvent;

describe('withPrivacy', () => {
  it('stores ciphertext, reads plaintext, and lists the personal paths', async () => {
    const { raw, store } = await sealedStack();
    await store.append('referral-R-1', [referral('R-1', 'Ana@Zeta.example')]);
    const [stored] = await raw.readStream('referral-R-1');
    const lead = (stored!.data as unknown as { lead: Record<string, string> }).lead;
    for (const f of ['firstName', 'lastName', 'email', 'notes'])
      expect(lead[f]).toMatch(/^enc:v1:[0-9a-f]{64}:/);
    expect(lead.company).toBe('Zeta');
    expect(stored!.metadata.personal).toEqual([
      'lead.firstName',
      'lead.lastName',
      'lead.email',
      'lead.notes',
    ]);
    const [read] = await store.readStream('referral-R-1');
    expect((read!.data as unknown as { lead: Record<string, string> }).lead).toMatchObject({
      firstName: 'Ana',
      email: 'Ana@Zeta.example',
      notes: 'met at the fair',
    });
    expect(read!.metadata.erased).toBeUndefined();
  });

  it('appends nothing when the same sealed events are appended or imported again', async () => {
    const { raw, store } = await sealedStack();
    const e = {
      ...referral('R-1', 'ana@zeta.example'),
      metadata: { occurredAt: '2026-02-01T09:00:00Z', eventId: '7f1e0c2a-1111-4c22-8a33-444455556666' },
    } as NewEvent;
    expect((await store.append('referral-R-1', [e])).appended).toBe(1);
    expect((await store.append('referral-R-1', [e])).appended).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'rl-privacy-')), 'in.ndjson');
    writeFileSync(file, `${JSON.stringify(referral('R-2', 'bo@zeta.example'))}\n`);
    expect((await importNdjsonFile(store, file)).appended).toBe(1);
    expect((await importNdjsonFile(store, file)).appended).toBe(0);
    const all: unknown[] = [];
    for await (const x of readAllEvents(raw)) all.push(x);
    expect(all).toHaveLength(2);
    expect(await verifyLog(readAllEvents(raw))).toMatchObject({ status: 'intact', events: 2 });
  });

  it('reads an erased subject as null, marked erased, and other subjects as before', async () => {
    const { store } = await sealedStack();
    await store.append('referral-R-1', [referral('R-1', 'ana@zeta.example')]);
    await store.append('referral-R-2', [referral('R-2', 'bo@zeta.example')]);
    await store.privacy.keys.destroy(await store.privacy.subjectIdFor('ANA@zeta.example '));
    const [a] = await store.readStream('referral-R-1');
    const [b] = await store.readStream('referral-R-2');
    expect(a!.metadata.erased).toBe(true);
    expect((a!.data as unknown as { lead: object }).lead).toEqual({
      firstName: null,
      lastName: null,
      email: null,
      company: 'Zeta',
      notes: null,
    });
    expect((b!.data as unknown as { lead: { email: string } }).lead.email).toBe('bo@zeta.example');
  });

  it('opens a page mixing erased and live subjects in one read, with a key store that has no bulk fetch', async () => {
    const memory = memoryKeyStore();
    let inFlight = 0;
    let most = 0;
    // A KMS-like key store: no getMany, each lookup takes a moment.
    const slow = {
      ...memory,
      async get(keyId: string) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return memory.get(keyId);
      },
    };
    delete (slow as { getMany?: unknown }).getMany;
    const raw = getInMemoryEventStore();
    const store = await withPrivacy(raw, { keys: slow, secret: 'unit' });
    const emails = ['ana@zeta.example', 'bo@zeta.example', 'cy@zeta.example', 'di@zeta.example'];
    for (const [i, email] of emails.entries())
      await store.append(`referral-R-${i}`, [referral(`R-${i}`, email)]);
    await memory.destroy(await store.privacy.subjectIdFor('bo@zeta.example'));
    const before = JSON.stringify(await raw.readAll());
    const page = await store.readAll();
    expect(page.map((e) => (e.data as unknown as { lead: { email: string | null } }).lead.email)).toEqual([
      'ana@zeta.example',
      null,
      'cy@zeta.example',
      'di@zeta.example',
    ]);
    expect(page.map((e) => e.metadata.erased ?? false)).toEqual([false, true, false, false]);
    // The keys were asked for together, and opening left the stored events as they were.
    expect(most).toBeGreaterThan(1);
    expect(JSON.stringify(await raw.readAll())).toBe(before);
  });
});
