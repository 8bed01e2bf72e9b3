import { openStore } from '@referral-ledger/adapters';
import { parseFlags } from '../args.ts';
import { formatMoney } from '../format/money.ts';
import type { Command } from '../io.ts';
import { approveAll, openLedger, replayStore } from '../operate.ts';

const command: Command = {
  summary: 'approve every eligible, unapproved commission amount as of now',
  usage: `Usage: referral-ledger approve [--partner ID] [--by WHO] [--store target]

For every (opportunity, partner) with eligible commission lines, approves what is eligible
(in the partner's payout currency, net of clawbacks) and not yet approved, as of now, through
the commission decider (CommissionApproved). Approved amounts become payable after the hold.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      partner: { type: 'string' },
      by: { type: 'string' },
    });
    const store = await openStore(values.store);
    try {
      const at = new Date().toISOString();
      const model = await replayStore(store, at);
      if (values.partner && !model.partners.has(values.partner)) {
        io.stderr.write(`referral-ledger approve: no partner ${values.partner} in the ledger\n`);
        return 1;
      }
      const done = await approveAll(openLedger(store), model, {
        partner: values.partner,
        by: values.by ?? 'cli',
        at,
      });
      for (const a of done)
        io.stdout.write(
          `approved ${formatMoney(a.amount, a.currency)} for ${a.partnerId} on ${a.opportunityId}\n`,
        );
      io.stdout.write(`${done.length} approval${done.length === 1 ? '' : 's'} as of ${at}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
