import { pendingApprovals } from '@referral-ledger/projections';
import { parseFlags, timestampFlag } from '../args.ts';
import { formatMoney } from '../format/money.ts';
import type { Command } from '../io.ts';
import { commissionAt, openOperation } from '../operate.ts';

const command: Command = {
  summary: 'approve every eligible, unapproved commission amount as of now',
  usage: `Usage: referral-ledger approve [--partner ID] [--by WHO] [--as-of T] [--store target]

Approves, per (opportunity, partner), what is earned and not yet approved: the eligible
lines' payout amounts net of clawbacks, plus adjustments, minus earlier approvals (SPEC §6.1).
Disputed deals are left out. Approvals still wait out the hold before they are payable.
--by names the approver (default "cli"); --as-of backdates the approval (default: now).`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      partner: { type: 'string' },
      by: { type: 'string', default: 'cli' },
      'as-of': { type: 'string' },
    });
    const at = timestampFlag('as-of', values['as-of']) ?? new Date().toISOString();
    const op = await openOperation(values.store);
    try {
      const { commission } = await commissionAt(op.store, at);
      const due = pendingApprovals(commission).filter(
        (p) => values.partner === undefined || p.partnerId === values.partner,
      );
      for (const p of due) {
        await op.ledger.handle({
          type: 'ApproveCommission',
          data: {
            opportunityId: p.opportunityId,
            partnerId: p.partnerId,
            amount: { amount: p.unapproved, currency: p.currency },
            approvedBy: values.by as string,
          },
          metadata: { occurredAt: at, actor: { kind: 'user', id: values.by as string } },
        });
        io.stdout.write(
          `approved ${formatMoney(p.unapproved, p.currency)} for ${p.partnerId} on ${p.opportunityId}\n`,
        );
      }
      io.stdout.write(`${due.length} approval${due.length === 1 ? '' : 's'} as of ${at}\n`);
      return 0;
    } finally {
      await op.close();
    }
  },
};
export default command;
