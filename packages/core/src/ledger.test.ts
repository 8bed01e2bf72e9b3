import { describe, expect, it } from 'vitest';
import { CommandRefusedError, ConcurrencyError, LedgerError, ValidationError } from './errors.ts';
import type { RecordedEvent } from './events/envelope.ts';
import { createLedger, type LedgerOptions } from './ledger.ts';
import { getInMemoryEventStore } from './store/memory.ts';
import type { EventStore } from './store/types.ts';
import { fixtures as f } from './testing.ts';

const T0 = new Date('2026-01-05T09:00:00Z');
const enroll = (partnerId: string, extra: Record<string, unknown> = {}) => ({
  type: 'EnrollPartner' as const,
  data: f.enrolled(partnerId, extra).data as never,
});

async function setup(options: Partial<LedgerOptions> = {}, partners = ['P-1', 'P-2']) {
  const store = options.store ?? getInMemoryEventStore({ clock: () => T0 });
  const ledger = createLedger({ clock: () => T0, ...options, store });
  for (const p of partners) await ledger.handle(enroll(p));
  return { store, ledger };
}

/** A store that yields before every read and write, so racing decisions really interleave. */
function slow(inner: EventStore): EventStore {
  const pause = () => new Promise((r) => setTimeout(r, Math.random() * 3));
  return {
    ...inner,
    readStream: (...a) => pause().then(() => inner.readStream(...a)),
    streamRevision: (...a) => pause().then(() => inner.streamRevision(...a)),
    readAll: (...a) => pause().then(() => inner.readAll(...a)),
    appendBatch: (...a) => pause().then(() => inner.appendBatch(...a)),
  };
}

async function everything(store: EventStore): Promise<RecordedEvent[]> {
  return store.readAll({ after: 0 });
}

describe('createLedger().handle', () => {
  it('validates, decides and appends, returning the stored events with positions', async () => {
    const { store, ledger } = await setup();
    const r = await ledger.handle(f.submit('R-1', 'P-1'));
    expect(r.events.map((e) => e.type)).toEqual(['ReferralSubmitted']);
    expect(r.events[0]!.streamId).toBe('referral-R-1');
    expect(r.events[0]!.metadata.occurredAt).toBe(T0.toISOString());
    expect(r.positions).toEqual([r.events[0]!.position]);
    // The submission claimed guard streams for the lead's email and domain in the same batch.
    const guards = (await everything(store)).filter((e) => e.type === 'GuardClaimed');
    expect(guards).toHaveLength(2);
    for (const g of guards) {
      expect(g.streamId).toMatch(/^guard-lead-[0-9a-f]{64}$/);
      expect(g.streamId).not.toContain('globex');
    }
  });

  it('flags the second submission of a lead, naming the first', async () => {
    const { ledger } = await setup();
    await ledger.handle(f.submit('R-1', 'P-1'));
    const r = await ledger.handle(f.submit('R-2', 'P-2', { email: 'ANA@globex.example' }));
    expect(r.events.map((e) => e.type)).toEqual(['ReferralSubmitted', 'ReferralDuplicateFlagged']);
    expect(r.events[1]!.data).toEqual({
      referralId: 'R-2',
      duplicateOf: { kind: 'referral', id: 'R-1' },
      matchedOn: 'email',
    });
  });

  it('refuses with a typed error and appends nothing', async () => {
    const { store, ledger } = await setup();
    const before = await store.headPosition();
    const err = await ledger.handle(f.submit('R-1', 'P-9')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandRefusedError);
    expect((err as CommandRefusedError).code).toBe('partner.not-found');
    expect(await store.headPosition()).toBe(before);
  });

  it('rejects a malformed command naming the field path', async () => {
    const { ledger } = await setup();
    const bad = f.submit('R-1', 'P-1', { email: 'not-an-email' });
    const err = await ledger.handle(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).path).toBe('data.lead.email');
  });

  it('stamps actor, correlation and the caller’s occurredAt; a retry with the same eventId appends nothing', async () => {
    const { store, ledger } = await setup();
    const cmd = {
      ...f.submit('R-1', 'P-1'),
      metadata: {
        occurredAt: '2026-01-04T10:00:00Z',
        actor: { kind: 'partner' as const, id: 'P-1' },
        correlationId: 'form-77',
        eventId: '0b7c6a52-53b5-4d5c-9a49-6a3c1f9b2e10',
      },
    };
    const first = await ledger.handle(cmd);
    const head = await store.headPosition();
    const again = await ledger.handle(cmd);
    expect(await store.headPosition()).toBe(head);
    expect(again.events.map((e) => e.metadata.eventId)).toEqual(first.events.map((e) => e.metadata.eventId));
    expect(first.events[0]!.metadata).toMatchObject({
      eventId: cmd.metadata.eventId,
      occurredAt: '2026-01-04T10:00:00Z',
      actor: { kind: 'partner', id: 'P-1' },
      correlationId: 'form-77',
    });
  });

  it('applies the rule set in force at the command’s time', async () => {
    const { ledger } = await setup();
    await ledger.handle({
      type: 'PublishRuleSet',
      data: {
        version: 'v2',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rules: { registration: { excludedDomains: ['globex.example'] } },
      },
    });
    const before = await ledger.handle({
      ...f.submit('R-0', 'P-1'),
      metadata: { occurredAt: '2025-12-31T00:00:00Z' },
    });
    expect(before.events.map((e) => e.type)).toEqual(['ReferralSubmitted']);
    const after = await ledger.handle(f.submit('R-1', 'P-2', { email: 'zed@globex.example' }));
    expect(after.events.filter((e) => e.type === 'ReferralFlagged').map((e) => e.data)).toEqual([
      {
        referralId: 'R-1',
        flag: 'excluded-domain',
        detail: 'globex.example is in registration.excludedDomains',
      },
    ]);
  });

  it('finds registrations made before the ledger was created (index catches up from the store)', async () => {
    const { store, ledger } = await setup();
    await ledger.handle(f.submit('R-1', 'P-1'));
    const fresh = createLedger({ store, clock: () => T0 });
    const r = await fresh.handle(f.submit('R-2', 'P-2'));
    expect(r.events.map((e) => e.type)).toEqual(['ReferralSubmitted', 'ReferralDuplicateFlagged']);
  });
});

describe('the worked example of docs/embedding.md', () => {
  it('flags by email, by domain, never by free-mail domain, and not after the window', async () => {
    const { ledger } = await setup({}, ['P-1', 'P-2', 'P-3']);
    const submit = async (occurredAt: string, referralId: string, partnerId: string, email: string) =>
      (
        await ledger.handle({ ...f.submit(referralId, partnerId, { email }), metadata: { occurredAt } })
      ).events.map((e) => (e.type === 'ReferralDuplicateFlagged' ? e.data : e.type));
    await submit('2026-01-04T09:00:00Z', 'R-0', 'P-1', 'lee@gmail.com');
    expect(await submit('2026-01-05T09:00:00Z', 'R-1', 'P-1', 'ana@globex.example')).toEqual([
      'ReferralSubmitted',
    ]);
    expect(await submit('2026-01-20T09:00:00Z', 'R-2', 'P-2', 'ANA@globex.example ')).toEqual([
      'ReferralSubmitted',
      { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
    ]);
    expect(await submit('2026-01-21T09:00:00Z', 'R-3', 'P-2', 'bo@globex.example')).toEqual([
      'ReferralSubmitted',
      { referralId: 'R-3', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'domain' },
    ]);
    expect(await submit('2026-01-22T09:00:00Z', 'R-4', 'P-2', 'kim@gmail.com')).toEqual([
      'ReferralSubmitted',
    ]);
    // R-1's window is [5 Jan 09:00, 6 Mar 09:00); R-2 and R-3 registered later, so they still protect the lead.
    expect(await submit('2026-03-06T09:00:00Z', 'R-5', 'P-3', 'ana@globex.example')).toEqual([
      'ReferralSubmitted',
      { referralId: 'R-5', duplicateOf: { kind: 'referral', id: 'R-2' }, matchedOn: 'email' },
    ]);
  });
});

describe('concurrency', () => {
  it('lets exactly one of many racing submissions of the same lead come out unflagged', async () => {
    const partners = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'P-7', 'P-8'];
    const { store, ledger } = await setup(
      { store: slow(getInMemoryEventStore({ clock: () => T0 })) },
      partners,
    );
    const results = await Promise.all(
      partners.map((p, i) => ledger.handle(f.submit(`R-${i}`, p, { email: `person${i}@globex.example` }))),
    );
    const unflagged = results.filter((r) => !r.events.some((e) => e.type === 'ReferralDuplicateFlagged'));
    expect(unflagged).toHaveLength(1);
    const winner = unflagged[0]!.events[0]!.data as { referralId: string };
    for (const r of results) {
      const dup = r.events.find((e) => e.type === 'ReferralDuplicateFlagged');
      if (dup) expect((dup.data as { duplicateOf: { id: string } }).duplicateOf.id).toBe(winner.referralId);
    }
    const submitted = (await everything(store)).filter((e) => e.type === 'ReferralSubmitted');
    expect(submitted).toHaveLength(partners.length);
  });

  it('racing submissions through two ledgers on one store still flag all but one', async () => {
    const { store, ledger } = await setup({ store: slow(getInMemoryEventStore({ clock: () => T0 })) }, [
      'P-1',
      'P-2',
      'P-3',
      'P-4',
    ]);
    const other = createLedger({ store, clock: () => T0 });
    const results = await Promise.all([
      ledger.handle(f.submit('R-1', 'P-1')),
      other.handle(f.submit('R-2', 'P-2')),
      ledger.handle(f.submit('R-3', 'P-3')),
      other.handle(f.submit('R-4', 'P-4')),
    ]);
    expect(results.filter((r) => r.events.length === 1)).toHaveLength(1);
  });

  it('never schedules more than is payable across concurrent payouts', async () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    // 100 000 approved and past hold; the policy reads the store as the projection would:
    // payable less what is already scheduled.
    const store = slow(getInMemoryEventStore({ clock: () => T0 }));
    const payable = async () => {
      const scheduled = (await everything(store)).filter((e) => e.type === 'PayoutScheduled');
      return (
        100_000 - scheduled.reduce((s, e) => s + (e.data as { amount: { amount: number } }).amount.amount, 0)
      );
    };
    const { ledger } = await setup({ store, policies: { payable } }, ['P-1']);
    const schedule = (payoutId: string, amount: number) =>
      ledger.handle({
        type: 'SchedulePayout',
        data: { payoutId, partnerId: 'P-1', amount: usd(amount), lines: [], provider: 'manual' },
      });
    const settled = await Promise.allSettled([schedule('PO-1', 60_000), schedule('PO-2', 60_000)]);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'payout.exceeds-payable' });
    expect((await everything(store)).filter((e) => e.type === 'PayoutScheduled')).toHaveLength(1);
    // The remaining 40 000 can still be scheduled.
    await schedule('PO-3', 40_000);
  });

  it('refuses a payout when no payable policy was given', async () => {
    const { ledger } = await setup({}, ['P-1']);
    const err = await ledger
      .handle({
        type: 'SchedulePayout',
        data: {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 1, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ledger.policy-missing' });
  });

  it('gives up with ledger.retries-exhausted after maxRetries lost races', async () => {
    const inner = getInMemoryEventStore({ clock: () => T0 });
    const store: EventStore = {
      ...inner,
      appendBatch: async () => {
        throw new ConcurrencyError('partner-P-1', 'no-stream', 'revision 0');
      },
    };
    const ledger = createLedger({ store, clock: () => T0, maxRetries: 2 });
    const err = await ledger.handle(enroll('P-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerError);
    expect((err as LedgerError).code).toBe('ledger.retries-exhausted');
  });
});

describe('subjects and consent through the facade', () => {
  it('derives an opaque subject id from an email and honours a withdrawal when sharing', async () => {
    const { store, ledger } = await setup({ secret: 'test-secret' }, ['P-1']);
    await ledger.handle({
      type: 'SetPartnerSharing',
      data: { partnerId: 'P-1', leadFields: ['company'], overlapRelationships: [], setBy: 'PM-1' },
    });
    const consent = await ledger.handle({
      type: 'RecordConsent',
      data: {
        email: ' Ana@Globex.example',
        scope: 'partner-sharing',
        granted: false,
        source: 'unsubscribe link',
      },
    });
    const subjectId = (consent.events[0]!.data as { subjectId: string }).subjectId;
    expect(subjectId).toBe(await ledger.subjectIdFor('ana@globex.example'));
    expect(subjectId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await everything(store))).not.toContain('Ana@Globex');
    const err = await ledger
      .handle({
        type: 'ShareLead',
        data: {
          shareId: 'S-1',
          partnerId: 'P-1',
          accountDomain: 'globex.example',
          lead: { email: 'ana@globex.example', company: 'Globex' },
          reason: 'fit',
          sharedBy: 'U-1',
        },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'share.consent-withdrawn' });
  });

  it('uses the advocateBlocked policy when one is given', async () => {
    const { ledger } = await setup({ policies: { advocateBlocked: async () => 'quiet' } }, []);
    await ledger.handle(enroll('C-1', { program: 'customer', customerSince: '2024-01-01T00:00:00Z' }));
    const err = await ledger
      .handle({
        type: 'SendReferralRequest',
        data: { partnerId: 'C-1', requestId: 'Q-1', step: 'ask', channel: 'email' },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'advocate.blocked' });
    expect((err as Error).message).toContain('quiet');
  });
});
