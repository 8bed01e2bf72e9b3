import {
  CommandRefusedError,
  type CommandInput,
  createLedger,
  getInMemoryEventStore,
  readAllEvents,
} from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { memoryAnchorStore, withIntegrity } from '../integrity/store.ts';
import { memoryKeyStore } from './keys.ts';
import { withPrivacy } from './store.ts';

const at = (d: string) => ({ metadata: { occurredAt: `2026-03-${d}T09:00:00Z` } });

async function setup(leadFields: string[]) {
  const raw = getInMemoryEventStore();
  const store = await withPrivacy(withIntegrity(raw, { anchors: memoryAnchorStore() }), {
    keys: memoryKeyStore(),
    secret: 'test-secret',
  });
  const ledger = createLedger({ store, secret: store.privacy.secret });
  await ledger.handle({
    type: 'EnrollPartner',
    data: {
      partnerId: 'P-1',
      name: 'Partner One',
      program: 'partner',
      tier: 'gold',
      contactEmail: 'p1@partners.example',
      payoutCurrency: 'USD',
    },
    ...at('01'),
  } as CommandInput);
  await ledger.handle({
    type: 'SetPartnerSharing',
    data: { partnerId: 'P-1', leadFields, overlapRelationships: ['customer'], setBy: 'pm' },
    ...at('02'),
  } as CommandInput);
  return { raw, store, ledger };
}

const share = (shareId: string, email: string): CommandInput =>
  ({
    type: 'ShareLead',
    data: {
      shareId,
      partnerId: 'P-1',
      accountDomain: 'zeta.example',
      lead: { firstName: 'Ana', lastName: 'Lopezzi', email, company: 'Zeta' },
      reason: 'fit',
      sharedBy: 'pm',
    },
    ...at('05'),
  }) as CommandInput;

describe('consent and sharing with sealed leads', () => {
  it('refuses to share a lead whose subject withdrew partner-sharing consent, appending nothing', async () => {
    const { raw, ledger } = await setup(['firstName', 'email', 'company']);
    await ledger.handle({
      type: 'RecordConsent',
      data: {
        email: 'Ana@Zeta.example',
        scope: 'partner-sharing',
        granted: false,
        source: 'preference-centre',
      },
      ...at('03'),
    } as CommandInput);
    const head = await raw.headPosition();
    const refusal = await ledger.handle(share('S-1', 'ana@zeta.example')).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CommandRefusedError);
    expect((refusal as Error).message).toMatch(/consent/i);
    expect(await raw.headPosition()).toBe(head);
  });

  it('seals a shared lead even when the partner may not see the email', async () => {
    const { raw, store, ledger } = await setup(['firstName', 'company']);
    await ledger.handle(share('S-2', 'ana@zeta.example'));
    const stored = (await raw.readStream('share-S-2'))[0]!;
    const lead = (stored.data as { lead: Record<string, unknown> }).lead;
    expect(lead.email).toBeUndefined(); // not among the partner's leadFields
    expect(String(lead.firstName)).toMatch(/^enc:v1:/);
    expect(lead.company).toBe('Zeta');
    // The subject is the email's, so erasing by email erases the shared copy too.
    expect(stored.metadata.subjectId).toBe(await store.privacy.subjectIdFor('ana@zeta.example'));
    const read = (await store.readStream('share-S-2'))[0]!;
    expect((read.data as { lead: Record<string, unknown> }).lead.firstName).toBe('Ana');
    for await (const e of readAllEvents(raw)) expect(JSON.stringify(e.data)).not.toContain('Lopezzi');
  });
});
