import { parseFlags, timestampFlag } from '../args.ts';
import { formatMoney } from '../format/money.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { commissionAt, openOperation, payoutLines } from '../operate.ts';

const PROVIDERS = ['stripe', 'paypal', 'wise', 'manual'] as const;

const command: Command = {
  summary: 'payouts schedule: schedule what is payable, per partner',
  usage: `Usage: referral-ledger payouts schedule --provider stripe|paypal|wise|manual [--partner ID]
         [--as-of T] [--store target]

Schedules one payout per partner for what is payable now (approved, past its hold, not
disputed, minus paid) less payouts already scheduled and not yet sent (SPEC §6.1). A
negative balance (a clawback after payment) is carried: nothing is scheduled until new
approvals cover it. Every payout goes through the ledger, which refuses one above what is
payable. Then: payout-file --provider P to write the provider's bulk file.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        store: { type: 'string' },
        provider: { type: 'string' },
        partner: { type: 'string' },
        'as-of': { type: 'string' },
      },
      1,
    );
    if (positionals[0] !== 'schedule')
      throw new UsageError('missing the subcommand: referral-ledger payouts schedule --provider P');
    const provider = values.provider as (typeof PROVIDERS)[number] | undefined;
    if (!provider || !PROVIDERS.includes(provider))
      throw new UsageError(`--provider: one of ${PROVIDERS.join(', ')}`);
    const at = timestampFlag('as-of', values['as-of']) ?? new Date().toISOString();
    const stamp = at.replace(/[-:]/g, '').slice(0, 15);
    const op = await openOperation(values.store);
    try {
      const { model, commission } = await commissionAt(op.store, at);
      let n = 0;
      for (const p of commission.partners) {
        if (values.partner !== undefined && p.partnerId !== values.partner) continue;
        const amount = p.payable - p.scheduled;
        if (amount <= 0) continue;
        const payoutId = `PO-${p.partnerId}-${stamp}`;
        await op.ledger.handle({
          type: 'SchedulePayout',
          data: {
            payoutId,
            partnerId: p.partnerId,
            amount: { amount, currency: p.currency },
            lines: payoutLines(model, p, amount).map((l) => ({
              opportunityId: l.opportunityId,
              amount: { amount: l.amount, currency: p.currency },
            })),
            provider,
          },
          metadata: { occurredAt: at },
        });
        n += 1;
        io.stdout.write(
          `scheduled ${payoutId}: ${formatMoney(amount, p.currency)} to ${p.partnerId} via ${provider}\n`,
        );
      }
      io.stdout.write(`${n} payout${n === 1 ? '' : 's'} scheduled as of ${at}\n`);
      return 0;
    } finally {
      await op.close();
    }
  },
};
export default command;
