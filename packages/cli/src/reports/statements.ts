import { computeAttribution, statementsReport } from '@referral-ledger/projections';
import { formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report statements`: a monthly statement per partner, `--time-zone` for the months (SPEC §7, §9). */
const report: ReportDefinition = {
  name: 'statements',
  summary: 'monthly payout statements per partner (opening, earned, clawed back, paid, closing)',
  build(ctx) {
    const json = statementsReport(ctx.model, computeAttribution(ctx.model), {
      partner: ctx.partner,
      timeZone: ctx.timeZone,
    });
    const meta = runMeta(ctx);
    meta.push(['Months in', json.timeZone]);
    // Monthly earnings for the HTML chart; amounts of different currencies are never added.
    const currencies = new Set(json.partners.map((p) => p.currency));
    const byMonth = new Map<string, number>();
    if (currencies.size === 1)
      for (const p of json.partners)
        for (const m of p.months) byMonth.set(m.month, (byMonth.get(m.month) ?? 0) + m.earned - m.clawedBack);
    const currency = [...currencies][0] ?? '';
    return {
      title: ctx.partner ? `Statement for partner ${ctx.partner}` : 'Monthly statements',
      meta,
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        const months = json.partners.flatMap((p) =>
          p.months.map((m) => ({
            partnerId: p.partnerId,
            month: m.month,
            opening: formatMoney(m.opening, p.currency),
            earned: formatMoney(m.earned, p.currency),
            clawedBack: m.clawedBack ? formatMoney(-m.clawedBack, p.currency) : '',
            adjusted: m.adjusted ? formatMoney(m.adjusted, p.currency) : '',
            paid: m.paid ? formatMoney(-m.paid, p.currency) : '',
            closing: formatMoney(m.closing, p.currency),
          })),
        );
        const movements = json.partners.flatMap((p) =>
          p.months.flatMap((m) =>
            m.lines.map((l) => ({
              partnerId: p.partnerId,
              date: l.date.slice(0, 10),
              kind: l.kind,
              ref: l.opportunityId ?? l.payoutId ?? '',
              amount: formatMoney(l.amount, p.currency),
              reason: l.reason ?? (l.period !== undefined ? `recurring year ${l.period}` : ''),
            })),
          ),
        );
        return [
          {
            title: 'Months',
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'month', header: 'Month' },
              { key: 'opening', header: 'Opening', align: 'right' },
              { key: 'earned', header: 'Earned', align: 'right' },
              { key: 'clawedBack', header: 'Clawed back', align: 'right' },
              { key: 'adjusted', header: 'Adjusted', align: 'right' },
              { key: 'paid', header: 'Paid', align: 'right' },
              { key: 'closing', header: 'Closing', align: 'right' },
            ],
            rows: months,
          },
          {
            title: 'Movements',
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'date', header: 'Date' },
              { key: 'kind', header: 'Movement' },
              { key: 'ref', header: 'Deal / payout' },
              { key: 'amount', header: 'Amount', align: 'right' },
              { key: 'reason', header: 'Reason' },
            ],
            rows: movements,
          },
        ];
      },
      ...(byMonth.size > 0
        ? {
            chart: {
              title: 'Monthly earnings (net of clawbacks)',
              bars: [...byMonth]
                .sort((a, b) => (a[0] < b[0] ? -1 : 1))
                .map(([month, value]) => ({ label: month, value, display: formatMoney(value, currency) })),
            },
          }
        : {}),
    };
  },
};
export default report;
