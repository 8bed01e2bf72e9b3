import type { EventStore, NewEvent } from '@referral-ledger/core';

/** A small log over several streams: partners enrolled, tiers changed, fx rates. */
export function sampleEvents(): NewEvent[] {
  const at = (d: number) => `2026-01-${String(d).padStart(2, '0')}T09:00:00Z`;
  const enrol = (id: string, d: number): NewEvent =>
    ({
      streamId: `partner-${id}`,
      type: 'PartnerEnrolled',
      data: {
        partnerId: id,
        name: `Partner ${id}`,
        program: 'partner',
        tier: 'bronze',
        contactEmail: `${id.toLowerCase()}@partners.example`,
        payoutCurrency: 'USD',
      },
      metadata: { occurredAt: at(d) },
    }) as unknown as NewEvent;
  const tier = (id: string, tierName: string, d: number): NewEvent =>
    ({
      streamId: `partner-${id}`,
      type: 'PartnerTierChanged',
      data: { partnerId: id, tier: tierName },
      metadata: { occurredAt: at(d) },
    }) as unknown as NewEvent;
  const fx = (rate: string, d: number): NewEvent =>
    ({
      streamId: 'fx',
      type: 'FxRateRecorded',
      data: { base: 'EUR', quote: 'USD', rate, source: 'ecb' },
      metadata: { occurredAt: at(d) },
    }) as unknown as NewEvent;
  return [
    enrol('P-1', 1), // 1
    enrol('P-2', 2), // 2
    tier('P-1', 'silver', 3), // 3
    fx('1.08', 4), // 4
    tier('P-1', 'gold', 5), // 5
    tier('P-2', 'silver', 6), // 6
    fx('1.09', 7), // 7
    tier('P-1', 'silver', 8), // 8
  ];
}

/** Append the sample one event at a time (through whatever decorators the store has). */
export async function appendSample(store: EventStore): Promise<void> {
  for (const e of sampleEvents()) await store.append(e.streamId, [e]);
}
