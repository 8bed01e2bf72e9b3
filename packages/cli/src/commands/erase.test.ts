import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@referral-ledger/adapters';
import { type CommandInput, createLedger } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../reports/run-cli.fixture.ts';

const EMAIL = 'Ana.Lopez@gmail.com'; // free mail and no website: the deal matches on email only
const AS_OF = ['--as-of', '2026-06-01T00:00:00Z'];

const at = (d: string) => ({ metadata: { occurredAt: `2026-${d}T09:00:00Z` } });
const program: CommandInput[] = [
  ...['P-1', 'P-2'].map(
    (id, i) =>
      ({
        type: 'EnrollPartner',
        data: {
          partnerId: id,
          name: `Partner ${id}`,
          program: 'partner',
          tier: 'gold',
          contactEmail: `${id.toLowerCase()}@partners.example`,
          payoutCurrency: 'USD',
        },
        ...at(`01-0${i + 1}`),
      }) as CommandInput,
  ),
  {
    type: 'EnrollPartner',
    data: {
      partnerId: 'C-1',
      name: 'Carla Customer',
      program: 'customer',
      tier: 'bronze',
      contactEmail: 'carla@customer.example',
      payoutCurrency: 'USD',
    },
    ...at('01-03'),
  } as CommandInput,
  {
    type: 'SubmitReferral',
    data: {
      referralId: 'R-1',
      partnerId: 'P-1',
      channel: 'portal',
      lead: {
        firstName: 'Ana',
        lastName: 'Lopezzi',
        email: EMAIL,
        company: 'Zeta Works',
        phone: '+34 600 111 222',
      },
    },
    ...at('02-01'),
  } as CommandInput,
  {
    type: 'OpenOpportunity',
    data: {
      opportunityId: 'O-1',
      accountDomain: 'zeta.example',
      accountName: 'Zeta Works',
      value: { amount: 1_000_000, currency: 'USD' },
      ownerId: 'ae-1',
      contactEmails: ['ana.lopez@gmail.com'],
    },
    ...at('02-10'),
  } as CommandInput,
  {
    type: 'WinOpportunity',
    data: { opportunityId: 'O-1', value: { amount: 1_200_000, currency: 'USD' } },
    ...at('03-01'),
  } as CommandInput,
];

/** Every file of the SQLite store (database, WAL, shared memory, journal) as one buffer. */
function storeBytes(db: string): Buffer {
  return Buffer.concat(
    [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].filter(existsSync).map((f) => readFileSync(f)),
  );
}

describe('erase (crypto-shredding, SPEC §10)', () => {
  it('removes the subject from every byte while every figure stays the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-erase-'));
    const db = join(dir, 'ledger.db');
    const env = {}; // no REFERRAL_LEDGER_SECRET: the store makes and keeps its own
    const store = await openStore(db, { env });
    const ledger = createLedger({ store, secret: store.privacy!.secret });
    for (const c of program) await ledger.handle(c);
    const subjectId = await store.privacy!.subjectIdFor(EMAIL);
    const key = await store.privacy!.keys.get(subjectId);
    expect(key).not.toBeNull();
    await store.close();

    // Sealed before it reached the store: no plaintext even before the erasure.
    for (const needle of [
      'ana.lopez',
      'Ana.Lopez',
      'Lopezzi',
      '600 111 222',
      'Carla Customer',
      'carla@customer',
    ])
      expect(storeBytes(db).includes(needle), needle).toBe(false);

    const before = {
      attribution: await runCli(['report', 'attribution', '--store', db, '--format', 'json', ...AS_OF]),
      commission: await runCli(['report', 'commission', '--store', db, '--format', 'json', ...AS_OF]),
      partners: await runCli(['report', 'partners', '--store', db, '--format', 'json', ...AS_OF]),
      sla: await runCli(['report', 'sla', '--store', db, '--format', 'json', ...AS_OF]),
      kpis: await runCli(['report', 'kpis', '--store', db, '--format', 'json', ...AS_OF]),
      funnel: await runCli(['report', 'funnel', '--store', db, '--format', 'json', ...AS_OF]),
    };
    for (const [name, r] of Object.entries(before)) expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    expect(before.attribution.code).toBe(0);
    const credits = JSON.parse(before.attribution.stdout).opportunities[0].credits;
    expect(credits).toEqual([
      expect.objectContaining({ partyId: 'P-1', kind: 'sourced', amount: 1_200_000 }),
    ]);

    const erased = await runCli([
      'erase',
      '--store',
      db,
      '--email',
      EMAIL,
      '--by',
      'dpo@us',
      '--reason',
      'art. 17',
    ]);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain(`erased subject ${subjectId}`);
    expect(erased.stdout).toContain('key destroyed');

    // The key is gone from the file and the WAL, in raw and in its stored (base64) form.
    const bytes = storeBytes(db);
    expect(bytes.includes(Buffer.from(key!))).toBe(false);
    expect(bytes.includes(Buffer.from(key!).toString('base64'))).toBe(false);

    // Every figure replays as before.
    for (const [name, r] of Object.entries(before)) {
      const after = await runCli(['report', name, '--store', db, '--format', 'json', ...AS_OF]);
      expect(after.stdout, name).toBe(r.stdout);
    }

    // Views show the fields as null, marked erased; other facts are untouched.
    const reopened = await openStore(db, { env });
    const [submitted] = await reopened.readStream('referral-R-1');
    expect(submitted!.metadata.erased).toBe(true);
    expect(submitted!.data).toMatchObject({
      partnerId: 'P-1',
      lead: { firstName: null, lastName: null, email: null, phone: null, company: 'Zeta Works' },
    });
    const [opened] = await reopened.readStream('opportunity-O-1');
    expect((opened!.data as unknown as { contactEmails: unknown[] }).contactEmails).toEqual([null]);
    const [customer] = await reopened.readStream('partner-C-1');
    expect(customer!.data).toMatchObject({ name: 'Carla Customer', contactEmail: 'carla@customer.example' });

    await reopened.close();

    // The log still verifies; a fresh export holds no trace of the subject and imports back.
    expect((await runCli(['verify', '--store', db])).code).toBe(0);
    const out = join(dir, 'out.ndjson');
    expect((await runCli(['export', '--store', db, '--out', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.toLowerCase().includes('ana.lopez')).toBe(false);
    expect(text.includes('Lopezzi')).toBe(false);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const r1 = lines.find((l) => l.streamId === 'referral-R-1' && l.type === 'ReferralSubmitted');
    expect(r1.metadata.erased).toBe(true);
    expect(r1.data.lead.email).toBeNull();
    expect((await runCli(['verify', '--events', out])).code).toBe(0);
    const copy = join(dir, 'copy.db');
    const imported = await runCli(['import', out, '--store', copy]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    // Replaying the erased export gives the same attribution as the store did.
    const replay = await runCli(['report', 'attribution', '--events', out, '--format', 'json', ...AS_OF]);
    expect(replay.stdout).toBe(before.attribution.stdout);

    // A new referral of the same email is still flagged as a duplicate of the first.
    const later = await openStore(db, { env });
    const again = createLedger({ store: later, secret: later.privacy!.secret });
    const r = await again.handle({
      type: 'SubmitReferral',
      data: {
        referralId: 'R-2',
        partnerId: 'P-2',
        channel: 'form',
        lead: { firstName: 'A', lastName: 'L', email: 'ana.lopez@GMAIL.com', company: 'Zeta' },
      },
      metadata: { occurredAt: '2026-03-05T09:00:00Z' },
    } as CommandInput);
    expect(r.events.map((e) => e.type)).toContain('ReferralDuplicateFlagged');
    expect(r.events.find((e) => e.type === 'ReferralDuplicateFlagged')!.data).toMatchObject({
      duplicateOf: { kind: 'referral', id: 'R-1' },
      matchedOn: 'email',
    });
    await later.close();
  });

  it('refuses an erase without --by or with both --email and --subject', async () => {
    expect((await runCli(['erase', '--email', 'a@b.example', '--reason', 'x'])).stderr).toContain('--by WHO');
    const both = await runCli([
      'erase',
      '--email',
      'a@b.example',
      '--subject',
      's',
      '--by',
      'x',
      '--reason',
      'y',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --email E or --subject S');
  });
});
