import {
  type CommandInput,
  createLedger,
  type EventStore,
  getInMemoryEventStore,
  type Money,
  type NewEvent,
  type RecordedEvent,
  readAllEvents,
  type StreamWrite,
} from '@referral-ledger/core';
import type { IngestCommand, IngestContext, IngestSource, KnownOpportunity } from './command.ts';
import { type IngestOptions, mapIngestPayload } from './map.ts';

/** What the mappers may ask of the ledger: opportunity states and partner names. */
export function ingestContext(events: readonly RecordedEvent[]): IngestContext {
  const opps = new Map<string, { status: KnownOpportunity['status']; value: Money; lastEventAt: string }>();
  const names = new Map<string, string>();
  for (const e of events) {
    const at = e.metadata.occurredAt;
    const later = (prev: string): string => (Date.parse(at) > Date.parse(prev) ? at : prev);
    switch (e.type) {
      case 'OpportunityOpened':
        opps.set(e.data.opportunityId, { status: 'open', value: e.data.value as Money, lastEventAt: at });
        break;
      case 'OpportunityValueChanged':
      case 'OpportunityWon':
      case 'OpportunityLost':
      case 'OpportunityReopened': {
        const o = opps.get(e.data.opportunityId);
        if (!o) break;
        o.lastEventAt = later(o.lastEventAt);
        if (e.type === 'OpportunityValueChanged') o.value = e.data.value as Money;
        else if (e.type === 'OpportunityWon') {
          if (o.status === 'open') Object.assign(o, { status: 'won', value: e.data.value as Money });
        } else if (e.type === 'OpportunityLost') {
          if (o.status === 'open') o.status = 'lost';
        } else o.status = 'open';
        break;
      }
      case 'PartnerEnrolled':
        names.set(e.data.partnerId, e.data.name);
        break;
      case 'PartnerUpdated':
        if (e.data.name) names.set(e.data.partnerId, e.data.name);
        break;
      default:
        break;
    }
  }
  return {
    opportunity: (id) => opps.get(id),
    partners: [...names].map(([partnerId, name]) => ({ partnerId, name })),
  };
}

const asNew = (e: RecordedEvent): NewEvent =>
  ({ streamId: e.streamId, type: e.type, data: e.data, metadata: e.metadata }) as NewEvent;

/**
 * Run mapped commands through the facade, all or nothing: decide them on an in-memory copy of
 * the log, then append every event they produced to the store in one atomic batch, each stream
 * at the revision the copy started from (a concurrent writer makes the batch fail, not half
 * apply). Commands whose event id is already stored append nothing.
 */
export async function runAllOrNothing(
  store: EventStore,
  existing: readonly RecordedEvent[],
  commands: readonly IngestCommand[],
  options: { secret?: string | undefined } = {},
): Promise<{ appended: number; events: readonly RecordedEvent[] }> {
  const replica = getInMemoryEventStore();
  const revisions = new Map<string, number>();
  let run: NewEvent[] = [];
  const flush = async (): Promise<void> => {
    if (run.length > 0) await replica.append(run[0]!.streamId, run, { expectedRevision: 'any' });
    run = [];
  };
  for (const e of existing) {
    if (run.length > 0 && run[0]!.streamId !== e.streamId) await flush();
    run.push(asNew(e));
    revisions.set(e.streamId, e.revision);
  }
  await flush();
  const head = await replica.headPosition();
  const ledger = createLedger({ store: replica, ...(options.secret ? { secret: options.secret } : {}) });
  // Same shape as the facade's input; only the arrays differ, readonly here.
  for (const c of commands) await ledger.handle(c as CommandInput);
  const fresh = await replica.readAll({ after: head });
  if (fresh.length === 0) return { appended: 0, events: [] };
  const writes = new Map<string, NewEvent[]>();
  for (const e of fresh) writes.set(e.streamId, [...(writes.get(e.streamId) ?? []), asNew(e)]);
  const batch: StreamWrite[] = [...writes].map(([streamId, events]) => {
    const rev = revisions.get(streamId);
    return { streamId, events, expectedRevision: rev === undefined ? 'no-stream' : rev };
  });
  const r = await store.appendBatch(batch);
  return { appended: r.appended, events: fresh };
}

/** What `ingestPayload` did: the commands it mapped and how many events it appended. */
export interface IngestResult {
  readonly commands: readonly IngestCommand[];
  readonly appended: number;
  readonly events: readonly RecordedEvent[];
}

/**
 * Ingest a payload into a store, all or nothing: read the log, map the payload with what the
 * log knows (opportunity states, partner names), decide every command through the facade,
 * append every event in one batch. Re-ingesting the same payload appends nothing.
 * @example await ingestPayload(store, 'tally', body, { secret: process.env.REFERRAL_LEDGER_SECRET })
 */
export async function ingestPayload(
  store: EventStore,
  source: IngestSource,
  text: string,
  options: Omit<IngestOptions, 'context'> & { readonly secret?: string | undefined } = {},
): Promise<IngestResult> {
  const existing: RecordedEvent[] = [];
  for await (const e of readAllEvents(store, { pageSize: 10_000 })) existing.push(e);
  const { secret, ...mapOptions } = options;
  const commands = mapIngestPayload(source, text, { ...mapOptions, context: ingestContext(existing) });
  const r = await runAllOrNothing(store, existing, commands, { secret });
  return { commands, ...r };
}
