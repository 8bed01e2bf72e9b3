import { exportNdjson, openStore } from '@referral-ledger/adapters';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';

const command: Command = {
  summary: 'write the whole log as NDJSON (with revision and position)',
  usage: `Usage: referral-ledger export [--out file.ndjson] [--store target]

Writes every event in global order, one JSON object per line, with its revision and
position; without --out, to standard output. The file imports back unchanged.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, { store: { type: 'string' }, out: { type: 'string' } });
    const store = await openStore(values.store);
    try {
      const n = await exportNdjson(store, values.out ?? io.stdout);
      if (values.out) io.stderr.write(`exported ${n} events to ${values.out}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
