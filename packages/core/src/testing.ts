/**
 * Test helpers for stores and deciders. `describeEventStoreContract` is the one contract
 * suite every event store runs (memory, SQLite, PostgreSQL, EventStoreDB):
 *
 * @example
 * describeEventStoreContract('sqlite', async () => getSQLiteEventStore({ path: ':memory:' }));
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type CommandInput, commandStream, parseCommand } from './commands/catalogue.ts';
import { type DecisionContext, fold } from './deciders/decision.ts';
import { deciderFor } from './deciders/index.ts';
import { CommandRefusedError, ConcurrencyError, EventIdConflictError } from './errors.ts';
import { type EventType, type eventSchemas, type LedgerEvent, streamFor } from './events/catalogue.ts';
import { type NewEvent, type RecordedEvent, validateEventData } from './events/envelope.ts';
import { type ContextExtras, LookupIndex } from './ledger/lookup-index.ts';
import { leadDomain, normaliseEmail } from './normalise.ts';
import { appendInChunks, type EventStore, type StreamWrite } from './store/types.ts';
import { randomUuid, uuidV5 } from './util/uuid.ts';

let counter = 0;
/** A valid `PartnerTierChanged` event for stream `partner-<id>`, with a fresh event id. */
export function sampleEvent(
  partnerId: string,
  overrides: { eventId?: string; reason?: string; occurredAt?: string } = {},
): NewEvent {
  counter += 1;
  return {
    streamId: `partner-${partnerId}`,
    type: 'PartnerTierChanged',
    data: { partnerId, tier: 'silver', reason: overrides.reason ?? `change ${counter}` },
    metadata: {
      eventId: overrides.eventId ?? randomUuid(),
      occurredAt: overrides.occurredAt ?? '2026-01-05T09:00:00.000Z',
    },
  } as unknown as NewEvent;
}

async function readEverything(store: EventStore, after = 0): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, limit: 1000 });
    if (page.length === 0) return out;
    out.push(...page);
    cursor = page[page.length - 1]!.position;
  }
}

export interface ContractOptions {
  /** Close or drop the store after each test (default: `store.close()`). */
  readonly teardown?: (store: EventStore) => Promise<void>;
}

/** The event-store contract: every store must pass all of it. */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStore>,
  options: ContractOptions = {},
): void {
  describe(`event store contract: ${name}`, () => {
    let open: EventStore[] = [];
    const make = async () => {
      const s = await factory();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open) await (options.teardown ? options.teardown(s) : s.close());
      open = [];
    });

    it('appends to a new stream with no-stream and reads it back in order', async () => {
      const store = await make();
      const events = [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')];
      const r = await store.append('partner-A', events, { expectedRevision: 'no-stream' });
      expect(r.appended).toBe(3);
      expect(r.nextExpectedRevision).toBe(2);
      const read = await store.readStream('partner-A');
      expect(read.map((e) => e.metadata.eventId)).toEqual(events.map((e) => e.metadata.eventId));
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(await store.streamRevision('partner-A')).toBe(2);
      expect(await store.streamRevision('partner-none')).toBe(-1);
      expect(await store.readStream('partner-none')).toEqual([]);
    });

    it('refuses no-stream on an existing stream and leaves it unchanged', async () => {
      const store = await make();
      await store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'no-stream' });
      await expect(
        store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'no-stream' }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.streamRevision('partner-A')).toBe(0);
    });

    it('checks an exact expected revision', async () => {
      const store = await make();
      await store.append('partner-A', [sampleEvent('A'), sampleEvent('A')]);
      await expect(
        store.append('partner-A', [sampleEvent('A')], { expectedRevision: 0 }),
      ).rejects.toMatchObject({
        code: 'concurrency',
      });
      const ok = await store.append('partner-A', [sampleEvent('A')], { expectedRevision: 1 });
      expect(ok.nextExpectedRevision).toBe(2);
      await expect(
        store.append('partner-B', [sampleEvent('B')], { expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('appends chunks as one batch, in order (appendInChunks)', async () => {
      const store = await make();
      const a1 = sampleEvent('A');
      const b1 = sampleEvent('B');
      const a2 = sampleEvent('A');
      async function* chunks(): AsyncGenerator<StreamWrite[]> {
        yield [
          { streamId: 'partner-A', events: [a1] },
          { streamId: 'partner-B', events: [b1] },
        ];
        yield [];
        yield [{ streamId: 'partner-A', events: [a2] }];
      }
      const r = await appendInChunks(store, chunks());
      expect(r).toMatchObject({ appended: 3, events: 3 });
      const all = await readEverything(store);
      expect(r.lastPosition).toBe(all[all.length - 1]!.position);
      expect(all.map((e) => e.metadata.eventId)).toEqual([a1, b1, a2].map((e) => e.metadata.eventId));
      expect((await store.readStream('partner-A')).map((e) => e.revision)).toEqual([0, 1]);
      // Again: every event is stored already, nothing is appended.
      async function* again(): AsyncGenerator<StreamWrite[]> {
        yield [{ streamId: 'partner-A', events: [a1, a2] }];
      }
      expect((await appendInChunks(store, again())).appended).toBe(0);
      expect(await readEverything(store)).toHaveLength(3);
    });

    it('stores nothing of the earlier chunks when a later chunk fails its check or the chunks throw', async () => {
      const store = await make();
      await store.append('partner-C', [sampleEvent('C')]);
      async function* refused(): AsyncGenerator<StreamWrite[]> {
        yield [{ streamId: 'partner-A', events: [sampleEvent('A'), sampleEvent('A')] }];
        yield [{ streamId: 'partner-C', events: [sampleEvent('C')], expectedRevision: 'no-stream' }];
      }
      await expect(appendInChunks(store, refused())).rejects.toBeInstanceOf(ConcurrencyError);
      const broken = new Error('the file changed while it was read');
      async function* failing(): AsyncGenerator<StreamWrite[]> {
        yield [{ streamId: 'partner-B', events: [sampleEvent('B')] }];
        throw broken;
      }
      await expect(appendInChunks(store, failing())).rejects.toBe(broken);
      expect(await store.streamRevision('partner-A')).toBe(-1);
      expect(await store.streamRevision('partner-B')).toBe(-1);
      expect(await readEverything(store)).toHaveLength(1);
      // The store still takes appends afterwards.
      await store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'no-stream' });
      expect(await store.streamRevision('partner-A')).toBe(0);
    });

    it('checks stream-exists and accepts any', async () => {
      const store = await make();
      await expect(
        store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'stream-exists' }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      await store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'any' });
      await store.append('partner-A', [sampleEvent('A')], { expectedRevision: 'stream-exists' });
      await store.append('partner-A', [sampleEvent('A')]);
      expect(await store.streamRevision('partner-A')).toBe(2);
    });

    it('skips events already stored with the same id and content (idempotent append)', async () => {
      const store = await make();
      const events = [sampleEvent('A'), sampleEvent('A')];
      await store.append('partner-A', events, { expectedRevision: 'no-stream' });
      const before = await readEverything(store);
      // A retry of the same append with its original expectation must succeed and add nothing.
      const again = await store.append('partner-A', events, { expectedRevision: 'no-stream' });
      expect(again.appended).toBe(0);
      expect(await readEverything(store)).toEqual(before);
      expect(await store.headPosition()).toBe(before[before.length - 1]!.position);
    });

    it('refuses an event id reused for different content, naming the id', async () => {
      const store = await make();
      const e = sampleEvent('A');
      await store.append('partner-A', [e]);
      const other = sampleEvent('A', { eventId: e.metadata.eventId as string, reason: 'something else' });
      const err = await store.append('partner-A', [other]).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(EventIdConflictError);
      expect((err as Error).message).toContain(e.metadata.eventId as string);
      expect(await store.streamRevision('partner-A')).toBe(0);
    });

    it('keeps recordedAt when given and stamps it otherwise', async () => {
      const store = await make();
      const given = {
        ...sampleEvent('A'),
        metadata: { ...sampleEvent('A').metadata, recordedAt: '2026-02-01T00:00:00.000Z' },
      } as NewEvent;
      await store.append('partner-A', [given, sampleEvent('A')]);
      const [a, b] = await store.readStream('partner-A');
      expect(Date.parse(a!.metadata.recordedAt)).toBe(Date.parse('2026-02-01T00:00:00.000Z'));
      expect(Number.isNaN(Date.parse(b!.metadata.recordedAt))).toBe(false);
    });

    it('reads all events from a position in strictly increasing position order', async () => {
      const store = await make();
      for (let i = 0; i < 5; i++) {
        await store.append(`partner-S${i % 2}`, [sampleEvent(`S${i % 2}`), sampleEvent(`S${i % 2}`)]);
      }
      const all = await readEverything(store);
      expect(all).toHaveLength(10);
      for (let i = 1; i < all.length; i++) expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
      expect(await store.headPosition()).toBe(all[all.length - 1]!.position);
      const tail = await readEverything(store, all[3]!.position);
      expect(tail.map((e) => e.metadata.eventId)).toEqual(all.slice(4).map((e) => e.metadata.eventId));
      const page = await store.readAll({ after: 0, limit: 3 });
      expect(page.map((e) => e.position)).toEqual(all.slice(0, 3).map((e) => e.position));
      expect(await store.readStream('partner-S0', { fromRevision: 2, maxCount: 2 })).toHaveLength(2);
    });

    it('appends a batch across streams atomically', async () => {
      const store = await make();
      const first = await store.append('partner-B', [sampleEvent('B')]);
      await expect(
        store.appendBatch([
          { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 'no-stream' },
          { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 'no-stream' },
        ]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.streamRevision('partner-A')).toBe(-1);
      // Positions need only increase (EventStoreDB's are log offsets), so compare, don't count.
      expect(await store.headPosition()).toBe(first.positions[0]);
      const ok = await store.appendBatch([
        { streamId: 'partner-A', events: [sampleEvent('A')], expectedRevision: 'no-stream' },
        { streamId: 'partner-B', events: [sampleEvent('B')], expectedRevision: 0 },
      ]);
      expect(ok.appended).toBe(2);
      expect(await store.streamRevision('partner-B')).toBe(1);
    });

    it('lets exactly one of two racing writers with the same expectation win', async () => {
      const store = await make();
      await store.append('partner-A', [sampleEvent('A')]);
      const results = await Promise.allSettled(
        [0, 1, 2, 3].map(() => store.append('partner-A', [sampleEvent('A')], { expectedRevision: 0 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConcurrencyError);
      expect(await store.streamRevision('partner-A')).toBe(1);
    });

    it('delivers a subscription from its checkpoint, then live, in order', async () => {
      const store = await make();
      const start = await store.append('partner-A', [sampleEvent('A'), sampleEvent('A')]);
      const seen: RecordedEvent[] = [];
      const sub = store.subscribe({
        after: start.positions[0],
        onEvents: (b) => void seen.push(...b),
        batchSize: 2,
      });
      await sub.caughtUp();
      expect(seen.map((e) => e.position)).toEqual([start.positions[1]]);
      await store.append('partner-B', [sampleEvent('B'), sampleEvent('B'), sampleEvent('B')]);
      await store.append('partner-A', [sampleEvent('A')]);
      await sub.caughtUp();
      const all = await readEverything(store);
      expect(seen.map((e) => e.metadata.eventId)).toEqual(all.slice(1).map((e) => e.metadata.eventId));
      expect(sub.position()).toBe(all[all.length - 1]!.position);
      await sub.close();
      await store.append('partner-A', [sampleEvent('A')]);
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(all.length - 1);
    });
  });
}

// ---------------------------------------------------------------------------------------
// Deciders: given / when / then
// ---------------------------------------------------------------------------------------

/** An event as a test writes it: plain-string ids, optional business time and stream. */
export type GivenEvent = {
  [T in EventType]: {
    readonly type: T;
    readonly data: z.input<(typeof eventSchemas)[T]>;
    readonly streamId?: string;
    readonly metadata?: { readonly occurredAt?: string };
  };
}[EventType];

/** The time given events and commands take when they name none. */
export const GIVEN_AT = '2026-01-05T09:00:00Z';

/** The same event, happening at `occurredAt`. @example at('2026-02-01T00:00:00Z', enrolled) */
export function at<E extends GivenEvent | CommandInput>(occurredAt: string, e: E): E {
  return { ...e, metadata: { ...(e as { metadata?: object }).metadata, occurredAt } };
}

function recordGiven(events: readonly GivenEvent[]): RecordedEvent[] {
  return events.map((e, i) => {
    const data = validateEventData(e.type, e.data);
    const event = { type: e.type, data } as LedgerEvent;
    const occurredAt = e.metadata?.occurredAt ?? GIVEN_AT;
    return {
      ...event,
      streamId: e.streamId ?? streamFor(event),
      metadata: { eventId: uuidV5(`given/${i}`), occurredAt, recordedAt: occurredAt },
      revision: 0,
      position: i + 1,
    } as RecordedEvent;
  });
}

/** What `when` can add to or override in the decision context (`now`, a payable, ...). */
export type WhenContext = Partial<DecisionContext>;

/**
 * Given/when/then for deciders (STYLE: Emmett-style tests). The given events (any streams)
 * build both the command's stream state and the cross-stream context, exactly as the facade
 * would; `when` decides a command; `then` checks the events (type and data, in order);
 * `thenRefuses` checks the refusal code and returns the error for message checks.
 *
 * @example
 * given([enrolled]).when(submit).then([{ type: 'ReferralSubmitted', data: submit.data }]);
 * given([]).when(submit).thenRefuses('partner.not-found');
 *
 * Everything is synchronous. The object `when` returns has a `then` method, so never
 * `await` or return it un-called: call `.then(...)`, `.thenRefuses(...)` or `.events()`.
 */
export function given(events: readonly GivenEvent[] = []) {
  const recorded = recordGiven(events);
  return {
    when(command: CommandInput, context: WhenContext = {}) {
      const decideIt = (): readonly NewEvent[] => {
        const cmd = parseCommand(command);
        const index = new LookupIndex();
        for (const e of recorded) index.apply(e);
        const now = cmd.metadata?.occurredAt ?? context.now ?? GIVEN_AT;
        const extras: ContextExtras = {};
        let base = index.context(now, extras);
        if (cmd.type === 'SubmitReferral') {
          const lead = cmd.data.lead;
          const domain = leadDomain(lead, (context.rules ?? base.rules).registration.freeMailDomains);
          base = index.context(now, {
            registrations: index.registrations({ email: normaliseEmail(lead.email), domain }),
          });
        }
        const ctx: DecisionContext = { ...base, ...context, now };
        const streamId = commandStream(cmd);
        const decider = deciderFor(cmd);
        const state = fold(
          decider,
          recorded.filter((e) => e.streamId === streamId),
        );
        return decider.decide(cmd, state, ctx);
      };
      return {
        /** What was decided, without asserting anything (for properties); throws a refusal. */
        events(): readonly NewEvent[] {
          return decideIt();
        },
        /** Expect exactly these events (type and data, in order); returns what was decided. */
        then(expected: readonly GivenEvent[]): readonly NewEvent[] {
          const out = decideIt();
          expect(out.map((e) => ({ type: e.type, data: e.data }))).toEqual(
            expected.map((e) => ({ type: e.type, data: validateEventData(e.type, e.data) })),
          );
          for (const e of out) expect(e.streamId).toBe(streamFor(e));
          return out;
        },
        /** Expect a refusal with this code; returns the error. */
        thenRefuses(code: string): CommandRefusedError {
          let error: unknown;
          try {
            decideIt();
          } catch (e) {
            error = e;
          }
          expect(error, `expected refusal ${code}`).toBeInstanceOf(CommandRefusedError);
          expect((error as CommandRefusedError).code).toBe(code);
          return error as CommandRefusedError;
        },
      };
    },
  };
}

/**
 * Small builders of valid given events and commands for decider and facade tests.
 * @example given([fixtures.enrolled('P-1')]).when(fixtures.submit('R-1', 'P-1')).then(...)
 */
export const fixtures = {
  /** `PartnerEnrolled` of a gold partner paid in USD, contact `pm@<id>.example`. */
  enrolled(
    partnerId: string,
    overrides: Partial<z.input<(typeof eventSchemas)['PartnerEnrolled']>> = {},
  ): GivenEvent {
    return {
      type: 'PartnerEnrolled',
      data: {
        partnerId,
        name: `Partner ${partnerId}`,
        program: 'partner',
        tier: 'gold',
        contactEmail: `pm@${partnerId.toLowerCase()}.example`,
        payoutCurrency: 'USD',
        ...overrides,
      },
    };
  },
  /** A lead at `<company>.example`. */
  lead(overrides: Partial<z.input<(typeof eventSchemas)['ReferralSubmitted']>['lead']> = {}) {
    return {
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'ana@globex.example',
      company: 'Globex',
      ...overrides,
    };
  },
  /** `SubmitReferral` of `fixtures.lead(leadOverrides)` by a partner through the portal. */
  submit(
    referralId: string,
    partnerId: string,
    leadOverrides: Partial<z.input<(typeof eventSchemas)['ReferralSubmitted']>['lead']> = {},
  ) {
    return {
      type: 'SubmitReferral' as const,
      data: { referralId, partnerId, channel: 'portal' as const, lead: fixtures.lead(leadOverrides) },
    };
  },
  /** `ReferralSubmitted` for the same lead as `fixtures.submit`. */
  submitted(
    referralId: string,
    partnerId: string,
    leadOverrides: Partial<z.input<(typeof eventSchemas)['ReferralSubmitted']>['lead']> = {},
  ): GivenEvent {
    return { type: 'ReferralSubmitted', data: fixtures.submit(referralId, partnerId, leadOverrides).data };
  },
  /** `OpportunityOpened` on `domain` worth 10 000.00 USD. */
  opened(opportunityId: string, domain = 'globex.example'): GivenEvent {
    return {
      type: 'OpportunityOpened',
      data: {
        opportunityId,
        accountDomain: domain,
        accountName: 'Globex',
        value: { amount: 1_000_000, currency: 'USD' },
        ownerId: 'U-sales',
      },
    };
  },
  /** `OpportunityWon` at 12 000.00 USD. */
  won(opportunityId: string, amount = 1_200_000): GivenEvent {
    return { type: 'OpportunityWon', data: { opportunityId, value: { amount, currency: 'USD' } } };
  },
};
