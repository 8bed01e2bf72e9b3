import { readFile } from 'node:fs/promises';
import {
  INGEST_SOURCES,
  type IngestOptions,
  ingestContext,
  ingestPayload,
  isIngestSource,
  mapIngestPayload,
  openStore,
} from '@referral-ledger/adapters';
import { type RecordedEvent, readAllEvents, ValidationError } from '@referral-ledger/core';
import { parseFlags, timestampFlag } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';

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
      const options: IngestOptions = {
        ...(values.partner ? { partner: values.partner } : {}),
        ...(values.currency ? { currency: values.currency } : {}),
        ...(exportedAt ? { exportedAt } : {}),
        ...(values['id-prefix'] !== undefined ? { idPrefix: values['id-prefix'] } : {}),
      };
      if (values['dry-run']) {
        const existing: RecordedEvent[] = [];
        for await (const e of readAllEvents(store, { pageSize: 10_000 })) existing.push(e);
        const commands = mapIngestPayload(source, text, { ...options, context: ingestContext(existing) });
        io.stdout.write(`${JSON.stringify(commands, null, 2)}\n`);
        return 0;
      }
      const r = await ingestPayload(store, source, text, {
        ...options,
        secret: store.privacy?.secret ?? io.env.REFERRAL_LEDGER_SECRET,
      });
      const n = r.commands.length;
      io.stdout.write(
        `ingested ${file} (${source}): ${n} command${n === 1 ? '' : 's'}, ${r.appended} event${r.appended === 1 ? '' : 's'} appended\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
