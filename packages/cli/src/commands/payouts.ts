import { openStore } from '@referral-ledger/adapters';
import { randomUuid } from '@referral-ledger/core';
import { parseFlags } from '../args.ts';
import { formatMoney } from '../format/money.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { openLedger, replayStore, scheduleAll } from '../operate.ts';

const PROVIDERS = ['stripe', 'paypal', 'wise', 'manual'] as const;

const command: Command = {
  summary: 'payouts schedule --provider P: schedule what is payable to each partner',
  usage: `Usage: referral-ledger payouts schedule --provider stripe|paypal|wise|manual [--partner ID] [--store target]

Schedules, for each partner (or --partner), a payout of what is payable as of now: approved,
past its hold, not disputed, minus what was paid or is already scheduled. The payout decider
refuses a payout above what is payable, also when two schedules race.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { store: { type: 'string' }, partner: { type: 'string' }, provider: { type: 'string' } },
      1,
    );
    if (positionals[0] !== 'schedule')
      throw new UsageError(
        `unknown subcommand "${positionals[0] ?? ''}": use \`payouts schedule --provider P\``,
      );
    const provider = values.provider as (typeof PROVIDERS)[number] | undefined;
    if (!provider || !PROVIDERS.includes(provider))
      throw new UsageError(`--provider: one of ${PROVIDERS.join(', ')}`);
    const store = await openStore(values.store);
    try {
      const at = new Date().toISOString();
      const model = await replayStore(store, at);
      const { scheduled, refused } = await scheduleAll(openLedger(store), model, {
        partner: values.partner,
        provider,
        at,
        newId: () => `PO-${randomUuid().slice(0, 8)}`,
      });
      for (const p of scheduled)
        io.stdout.write(
          `scheduled ${p.payoutId}: ${formatMoney(p.amount, p.currency)} to ${p.partnerId} via ${provider}\n`,
        );
      for (const r of refused) io.stderr.write(`refused for ${r.partnerId}: ${r.reason}\n`);
      io.stdout.write(
        `${scheduled.length} payout${scheduled.length === 1 ? '' : 's'} scheduled as of ${at}\n`,
      );
      return refused.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
