import { eraseSubject, openStore, scrubberFor } from '@referral-ledger/adapters';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';

const command: Command = {
  summary: 'crypto-shred a data subject: destroy its key, record SubjectErased',
  usage: `Usage: referral-ledger erase (--email E | --subject S) --by WHO --reason R [--store target]

Appends SubjectErased to subject-<id> and destroys the subject's key (SPEC §10): every
personal field sealed under it then reads as null (metadata.erased: true) in every view
and export, while every figure replays as before. The subject id is the keyed hash of the
normalised email under the ledger's secret (REFERRAL_LEDGER_SECRET, else the store's own).
On SQLite the WAL is checkpointed and the file vacuumed so no copy of the key remains.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      email: { type: 'string' },
      subject: { type: 'string' },
      by: { type: 'string' },
      reason: { type: 'string' },
    });
    if ((values.email === undefined) === (values.subject === undefined)) {
      throw new UsageError('give exactly one of --email E or --subject S');
    }
    if (!values.by?.trim()) throw new UsageError('missing --by WHO (who asked for the erasure)');
    if (!values.reason?.trim()) throw new UsageError('missing --reason R');
    const store = await openStore(values.store, { env: io.env });
    try {
      if (!store.privacy) {
        throw new UsageError(
          `--store ${values.store}: this store keeps no subject keys, so nothing can be erased`,
        );
      }
      const r = await eraseSubject(
        store as Parameters<typeof eraseSubject>[0],
        {
          ...(values.email !== undefined ? { email: values.email } : {}),
          ...(values.subject !== undefined ? { subjectId: values.subject } : {}),
          requestedBy: values.by,
          reason: values.reason,
        },
        scrubberFor(store),
      );
      io.stdout.write(
        `erased subject ${r.subjectId}: SubjectErased at position ${r.position}; ${
          r.keyDestroyed ? 'key destroyed' : 'no personal data was held under it'
        }\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
