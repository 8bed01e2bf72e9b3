import { payoutsReport } from '@referral-ledger/projections';
import { formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report payouts`: every payout and its status as of T (SPEC §9). */
const report: ReportDefinition = {
  name: 'payouts',
  summary: 'payouts with provider and status (scheduled, sent, failed, reversed)',
  build(ctx) {
    const json = payoutsReport(ctx.model, { partner: ctx.partner });
    return {
      title: ctx.partner ? `Payouts to partner ${ctx.partner}` : 'Payouts',
      meta: runMeta(ctx),
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            title: 'Payouts',
            columns: [
              { key: 'payoutId', header: 'Payout' },
              { key: 'partnerId', header: 'Partner' },
              { key: 'amount', header: 'Amount', align: 'right' },
              { key: 'provider', header: 'Provider' },
              { key: 'status', header: 'Status' },
              { key: 'scheduledAt', header: 'Scheduled' },
              { key: 'sentAt', header: 'Sent' },
              { key: 'deals', header: 'Deals' },
            ],
            rows: json.payouts.map((p) => ({
              payoutId: p.payoutId,
              partnerId: p.partnerId,
              amount: formatMoney(p.amount, p.currency),
              provider: p.provider,
              status: p.status,
              scheduledAt: p.scheduledAt.slice(0, 10),
              sentAt: p.sentAt?.slice(0, 10) ?? '',
              deals: p.lines.map((l) => l.opportunityId).join(', '),
            })),
          },
        ];
      },
    };
  },
};
export default report;
