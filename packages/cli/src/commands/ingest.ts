import { readFile } from 'node:fs/promises';
import {
  INGEST_SOURCES,
  type IngestCommand,
  type IngestContext,
  type IngestOptions,
  isIngestSource,
  type KnownOpportunity,
  mapIngestPayload,
  openStore,
} from '@referral-ledger/adapters';
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
  ValidationError,
} from '@referral-ledger/core';
import { parseFlags, timestampFlag } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';

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
  for (const c of commands) await ledger.handle(c as unknown as CommandInput);
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

const command: Command = {
  summary: 'map a CRM, form or overlap payload to commands and append their events, all or nothing',
  usage: `Usage: referral-ledger ingest <${INGEST_SOURCES.join('|')}> <file> [--store target]
         [--partner ID] [--currency CUR] [--exported-at T] [--id-prefix P] [--dry-run]

hubspot     a webhook body (array of v3 events), a CRM object read, or a bundle
            {events, deals, contacts, companies}
salesforce  an Outbound Message (SOAP XML) or Change Data Capture events (JSON)
typeform    a form_response webhook body        tally  a FORM_RESPONSE webhook body
crossbeam   an account-mapping CSV export       reveal an account-mapping CSV export

--partner      the partner of every overlap row, or of a form without a hidden partner_id
--currency     currency of amounts that carry none (default USD)
--exported-at  when an overlap export without a date column was taken
--id-prefix    prefix of ledger ids made from vendor ids
--dry-run      print the commands as JSON and append nothing

The payload is mapped (a malformed one is refused naming the field or row), every command is
decided against the current log, and only if all are accepted are their events appended, in
one transaction. Ids derive from the vendor's ids: ingesting the same payload again appends
nothing. Form submissions run the duplicate and quality checks. See docs/integrations.md.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        store: { type: 'string' },
        partner: { type: 'string' },
        currency: { type: 'string' },
        'exported-at': { type: 'string' },
        'id-prefix': { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      2,
    );
    const [source, file] = positionals;
    if (!source || !file)
      throw new UsageError(`expected a source and a file: ingest <${INGEST_SOURCES.join('|')}> <file>`);
    if (!isIngestSource(source))
      throw new UsageError(`unknown source "${source}"; one of ${INGEST_SOURCES.join(', ')}`);
    if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) {
      throw new UsageError(`--currency "${values.currency}" is not an ISO 4217 code such as USD`);
    }
    const exportedAt = timestampFlag('exported-at', values['exported-at']);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new ValidationError(`${file}: no such file`, [{ path: 'file', message: 'not found' }], { file });
    }
    const store = await openStore(values.store);
    try {
      const existing: RecordedEvent[] = [];
      for await (const e of readAllEvents(store, { pageSize: 10_000 })) existing.push(e);
      const options: IngestOptions = {
        context: ingestContext(existing),
        ...(values.partner ? { partner: values.partner } : {}),
        ...(values.currency ? { currency: values.currency } : {}),
        ...(exportedAt ? { exportedAt } : {}),
        ...(values['id-prefix'] !== undefined ? { idPrefix: values['id-prefix'] } : {}),
      };
      const commands = mapIngestPayload(source, text, options);
      if (values['dry-run']) {
        io.stdout.write(`${JSON.stringify(commands, null, 2)}\n`);
        return 0;
      }
      const r = await runAllOrNothing(store, existing, commands, { secret: io.env.REFERRAL_LEDGER_SECRET });
      io.stdout.write(
        `ingested ${file} (${source}): ${commands.length} command${commands.length === 1 ? '' : 's'}, ${r.appended} event${r.appended === 1 ? '' : 's'} appended\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
