import { LedgerError } from '@referral-ledger/core';
import { explainOpportunity, explanationText } from '@referral-ledger/projections';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { replayFlags, replayFromFlags } from '../replay.ts';

const command: Command = {
  summary: 'explain one opportunity: registrations, touches, shares, allocation, commission',
  usage: `Usage: referral-ledger explain <opportunityId> [--events file.ndjson | --store target] [--rules f.json]
         [--as-of T] [--known-at K] [--format text|json]

Shows the library and rule versions, every registration considered with its protection
window and why it won or lost, every touch with its weight, the shares, the allocation in
minor units and each commission line's arithmetic, each fact citing its eventId and position.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...replayFlags, format: { type: 'string', default: 'text' } },
      1,
    );
    const id = positionals[0];
    if (!id) throw new UsageError('missing the opportunity id');
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError(`--format ${values.format}: one of text, json`);
    const { model } = await replayFromFlags(values, io);
    const explanation = explainOpportunity(model, id);
    if (!explanation) {
      throw new LedgerError(
        'opportunity.not-found',
        `no opportunity "${id}" in the log as of ${new Date(model.asOf).toISOString()}${model.knownAt === null ? '' : ` known at ${new Date(model.knownAt).toISOString()}`}`,
      );
    }
    io.stdout.write(
      values.format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : explanationText(explanation),
    );
    return 0;
  },
};
export default command;
