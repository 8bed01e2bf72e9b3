import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LedgerEvent, streamFor } from './events/catalogue.ts';
import { type NewEvent, type RecordedEvent, validateEventData } from './events/envelope.ts';
import { parseNdjson, toNdjsonLine } from './ndjson.ts';
import { getInMemoryEventStore } from './store/memory.ts';
import type { EventStore } from './store/types.ts';

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const nonEmpty = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
const instant = fc
  .integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());

const data = fc.oneof(
  fc.record({ partnerId: id, tier: fc.constantFrom('bronze', 'silver', 'gold'), reason: text }).map((d) => ({
    type: 'PartnerTierChanged' as const,
    data: d,
  })),
  fc
    .record({
      referralId: id,
      partnerId: id,
      channel: fc.constantFrom('form', 'portal', 'api'),
      lead: fc.record(
        {
          firstName: nonEmpty,
          lastName: nonEmpty,
          email: fc.emailAddress(),
          company: nonEmpty,
          notes: text,
          estimatedValue: fc.record({
            amount: fc.integer({ min: 0, max: 1e12 }),
            currency: fc.constantFrom('USD', 'JPY'),
          }),
        },
        { requiredKeys: ['firstName', 'lastName', 'email', 'company'] },
      ),
    })
    .map((d) => ({ type: 'ReferralSubmitted' as const, data: d })),
  fc
    .record({
      base: fc.constantFrom('EUR', 'GBP'),
      quote: fc.constantFrom('USD', 'JPY'),
      rate: fc.stringMatching(/^[1-9][0-9]{0,3}\.[0-9]{1,6}$/),
      source: text,
    })
    .map((d) => ({ type: 'FxRateRecorded' as const, data: d })),
);

/** Valid new events with business and knowledge times, without ids (derived from content). */
const events = fc.array(
  fc
    .record({ e: data, occurredAt: instant, lag: fc.integer({ min: 0, max: 86_400_000 }) })
    .map(({ e, occurredAt, lag }) => {
      const valid = { type: e.type, data: validateEventData(e.type, e.data) } as LedgerEvent;
      const recordedAt = new Date(Date.parse(occurredAt) + lag).toISOString();
      return { ...valid, streamId: streamFor(valid), metadata: { occurredAt, recordedAt } } as NewEvent;
    }),
  { maxLength: 25 },
);

async function appendEach(store: EventStore, list: readonly NewEvent[]): Promise<void> {
  for (const e of list) await store.append(e.streamId, [e]);
}

describe('NDJSON interchange', () => {
  it('export then import round-trips every event exactly', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (list) => {
        const source = getInMemoryEventStore();
        await appendEach(source, list);
        const exported = await source.readAll();
        const text = exported.map(toNdjsonLine).join('\n');
        const parsed = parseNdjson(text, { file: 'export.ndjson' });
        expect(parsed.map((p) => ({ ...p.event, revision: p.revision, position: p.position }))).toEqual(
          exported,
        );
        const target = getInMemoryEventStore();
        await appendEach(
          target,
          parsed.map((p) => p.event),
        );
        const reimported: RecordedEvent[] = await target.readAll();
        expect(reimported).toEqual(exported);
        // Same lines as values (key order inside metadata may differ, which JSON does not mind).
        expect(reimported.map((e) => JSON.parse(toNdjsonLine(e)))).toEqual(
          text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('idempotent append', () => {
  it('appending the same events twice changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(events, async (list) => {
        const store = getInMemoryEventStore();
        await appendEach(store, list);
        const once = await store.readAll();
        await appendEach(store, list);
        expect(await store.readAll()).toEqual(once);
        expect(await store.headPosition()).toBe(once.length);
      }),
      { numRuns: 60 },
    );
  });
});
