import { commissionReport, computeAttribution } from '@referral-ledger/projections';
import { formatBps, formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report commission`: totals per partner in its payout currency, and every line (SPEC §6, §9). */
const report: ReportDefinition = {
  name: 'commission',
  summary: 'commission per partner and per line: earned, approved, paid, payable',
  build(ctx) {
    const json = commissionReport(ctx.model, computeAttribution(ctx.model), { partner: ctx.partner });
    return {
      title: ctx.partner ? `Commission statement for partner ${ctx.partner}` : 'Commission by partner',
      meta: runMeta(ctx),
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        const partners = json.partners.map((p) => ({
          partnerId: p.partnerId,
          earned: formatMoney(p.earned, p.currency),
          approved: formatMoney(p.approved, p.currency),
          paid: formatMoney(p.paid, p.currency),
          payable: formatMoney(p.payable, p.currency),
          outstanding: formatMoney(p.outstanding, p.currency),
          lines: p.lines.length,
        }));
        const lines = json.partners.flatMap((p) =>
          p.lines.map((l) => ({
            partnerId: l.partnerId,
            opportunityId: l.opportunityId,
            kind: l.kind,
            tier: l.tier,
            schedule: l.period === undefined ? l.schedule : `${l.schedule} y${l.period}`,
            accruesAt: l.accruesAt.slice(0, 10),
            credited: formatMoney(l.credited, l.currency),
            rate: l.condition ? `${formatBps(l.rateBps)} (${l.condition})` : formatBps(l.rateBps),
            commission: formatMoney(l.commission, l.currency),
            outsideTerms: l.outsideTerms ? formatMoney(l.outsideTerms, l.currency) : '',
            clawedBack: l.clawedBack ? formatMoney(l.clawedBack, l.currency) : '',
            payoutAmount: formatMoney(l.payoutAmount, p.currency),
            status: l.eligible ? 'eligible' : (l.reason ?? 'not eligible'),
          })),
        );
        return [
          {
            title: 'Partners',
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'earned', header: 'Earned', align: 'right' },
              { key: 'approved', header: 'Approved', align: 'right' },
              { key: 'paid', header: 'Paid', align: 'right' },
              { key: 'payable', header: 'Payable', align: 'right' },
              { key: 'outstanding', header: 'Outstanding', align: 'right' },
              { key: 'lines', header: 'Lines', align: 'right' },
            ],
            rows: partners,
          },
          {
            title: 'Lines',
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'opportunityId', header: 'Opportunity' },
              { key: 'kind', header: 'Kind' },
              { key: 'tier', header: 'Tier' },
              { key: 'schedule', header: 'Schedule' },
              { key: 'accruesAt', header: 'Accrues' },
              { key: 'credited', header: 'Credited', align: 'right' },
              { key: 'rate', header: 'Rate' },
              { key: 'commission', header: 'Commission', align: 'right' },
              { key: 'outsideTerms', header: 'Outside terms', align: 'right' },
              { key: 'clawedBack', header: 'Clawed back', align: 'right' },
              { key: 'payoutAmount', header: 'Payout', align: 'right' },
              { key: 'status', header: 'Status' },
            ],
            rows: lines,
          },
        ];
      },
      chart: {
        title: 'Earned by partner',
        bars: json.partners.map((p) => ({
          label: p.partnerId,
          value: p.earned,
          display: formatMoney(p.earned, p.currency),
        })),
      },
    };
  },
};
export default report;
