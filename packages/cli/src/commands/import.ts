import { importNdjsonFile, openStore } from '@referral-ledger/adapters';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';

const command: Command = {
  summary: 'append the events of an NDJSON file to the store, all or nothing',
  usage: `Usage: referral-ledger import <file.ndjson> [--store target]

Validates every line (a bad line is reported with its file, line, event type and field,
and nothing is appended) and appends the whole file in one transaction; on SQLite and
PostgreSQL it is read once and appended 2,000 events at a time inside that transaction.
Events already in the store (same id and content) are skipped: importing a file twice
appends nothing the second time.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { store: { type: 'string' } }, 1);
    const file = positionals[0];
    if (!file) throw new UsageError('missing the file to import: referral-ledger import <file.ndjson>');
    const store = await openStore(values.store);
    try {
      const tty = io.stderr.isTTY === true;
      let r: Awaited<ReturnType<typeof importNdjsonFile>>;
      try {
        r = await importNdjsonFile(store, file, {
          ...(tty
            ? {
                onProgress: (n: number) =>
                  io.stderr.write(`\rimporting: ${n.toLocaleString('en-US')} events`),
              }
            : {}),
        });
      } finally {
        if (tty) io.stderr.write('\r\x1b[K');
      }
      io.stdout.write(
        `imported ${file}: ${r.read} events read, ${r.appended} appended, ${r.skipped} already present\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
