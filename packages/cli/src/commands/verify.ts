import {
  type IntegrityAnchor,
  openRawStore,
  parseAnchor,
  projectionAnchorStore,
  readVerifiableFile,
  type VerifyResult,
  verifyLog,
} from '@referral-ledger/adapters';
import { readAllEvents } from '@referral-ledger/core';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';

/** Exit codes: intact 0, broken 1, unverifiable (no hashes) 3. */
export const VERIFY_EXIT = { intact: 0, broken: 1, unverifiable: 3 } as const;

const command: Command = {
  summary: "check the log's tamper evidence; names the first broken place",
  usage: `Usage: referral-ledger verify [--store target | --events exported.ndjson] [--anchor POSITION:DIGEST]
         [--format text|json]

Recomputes every event's chain hash (SPEC §8), checks each stream's revisions and the
global order, and the checkpoint digest kept in the store (or given with --anchor, as
printed by an earlier verify). Exit 0 when intact; 1 naming the first broken place
(position, stream, revision, event id); 3 when events carry no hash (unverifiable).`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      events: { type: 'string' },
      anchor: { type: 'string' },
      format: { type: 'string', default: 'text' },
    });
    if (values.events !== undefined && values.store !== undefined) {
      throw new UsageError('give either --events or --store, not both');
    }
    if (values.format !== 'text' && values.format !== 'json') {
      throw new UsageError(`--format ${values.format}: use text or json`);
    }
    let given: IntegrityAnchor | null = null;
    if (values.anchor !== undefined) {
      given = parseAnchor(values.anchor);
      if (!given)
        throw new UsageError(`--anchor ${values.anchor}: expected POSITION:DIGEST (64 hex characters)`);
    }
    let result: VerifyResult;
    if (values.events !== undefined) {
      result = await verifyLog(readVerifiableFile(values.events), { anchor: given });
    } else {
      const store = await openRawStore(values.store);
      try {
        const kept =
          typeof store.loadProjection === 'function'
            ? await projectionAnchorStore(store as never).load()
            : null;
        result = await verifyLog(readAllEvents(store), {
          anchor: given ?? kept,
          streamRevision: (id) => store.streamRevision(id),
        });
      } finally {
        await store.close();
      }
    }
    if (values.format === 'json') io.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.status === 'intact') {
      if (values.format === 'text') {
        const a = result.anchor ? `; checkpoint at position ${result.anchor.position} reproduced` : '';
        io.stdout.write(
          `intact: ${result.events} events in ${result.streams} streams${a}\nhead checkpoint: ${result.head.position}:${result.head.digest}\n`,
        );
      }
      return VERIFY_EXIT.intact;
    }
    if (result.status === 'unverifiable') {
      io.stderr.write(`referral-ledger verify: ${result.message}\n`);
      return VERIFY_EXIT.unverifiable;
    }
    io.stderr.write(`referral-ledger verify: broken (${result.problem.kind}) at ${result.problem.message}\n`);
    return VERIFY_EXIT.broken;
  },
};
export default command;
