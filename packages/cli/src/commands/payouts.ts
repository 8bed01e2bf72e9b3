import { openStore } from '@referral-ledger/adapters';
import { CommandRefusedError } from '@referral-ledger/core';
import { payablePolicy, partnerState } from '@referral-ledger/projections';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { cliLedger, modelAt } from '../ledger.ts';

const PROVIDERS = ['stripe', 'paypal', 'wise', 'manual'] as const;
type Provider = (typeof PROVIDERS)[number];

const command: Command = {
  summary: 'payouts schedule --provider P: schedule what is payable to each partner',
  usage: `Usage: referral-ledger payouts schedule --provider <stripe|paypal|wise|manual>
         [--partner ID] [--store target] [--by WHO]

For each enrolled partner (or only --partner) schedules one payout of everything payable
now — approved, past its hold, not disputed, less what was paid or is already scheduled —
in the partner's payout currency, through the SchedulePayout command (which refuses a
payout above what is payable). Partners with nothing payable are skipped. Payout ids are
PO-<partner>-<YYYYMMDDTHHMMSS>.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        store: { type: 'string' },
        partner: { type: 'string' },
        provider: { type: 'string' },
        by: { type: 'string' },
      },
      1,
    );
    if (positionals[0] !== 'schedule')
      throw new UsageError('expected: referral-ledger payouts schedule --provider P');
    const provider = values.provider as Provider | undefined;
    if (!provider || !PROVIDERS.includes(provider)) {
      throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
    }
    const store = await openStore(values.store);
    try {
      const now = new Date().toISOString();
      const stamp = now.replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
      const by = values.by ?? 'referral-ledger payouts';
      const model = await modelAt(store, now);
      const policy = payablePolicy(model);
      const ledger = cliLedger(store, io.env);
      if (values.partner !== undefined && !model.partners.has(values.partner)) {
        throw new UsageError(`--partner ${values.partner}: no such partner is enrolled`);
      }
      let scheduled = 0;
      for (const rec of [...model.partners.values()].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1))) {
        const p = partnerState(rec);
        if (!p || (values.partner !== undefined && p.partnerId !== values.partner)) continue;
        const amount = policy.payable(p.partnerId, p.payoutCurrency, now);
        if (amount <= 0) continue;
        const payoutId = `PO-${p.partnerId}-${stamp}`;
        try {
          await ledger.handle({
            type: 'SchedulePayout',
            data: {
              payoutId,
              partnerId: p.partnerId,
              amount: { amount, currency: p.payoutCurrency },
              lines: [],
              provider,
            },
            metadata: { occurredAt: now, actor: { kind: 'user', id: by } },
          });
        } catch (e) {
          // Another writer scheduled part of it meanwhile: report and go on with the others.
          if (e instanceof CommandRefusedError && e.code === 'payout.exceeds-payable') {
            io.stderr.write(`skipped ${p.partnerId}: ${e.message}\n`);
            continue;
          }
          throw e;
        }
        scheduled += 1;
        io.stdout.write(
          `scheduled ${payoutId}: ${amount} ${p.payoutCurrency} (minor units) via ${provider}\n`,
        );
      }
      io.stdout.write(`${scheduled} payout${scheduled === 1 ? '' : 's'} scheduled as of ${now}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
