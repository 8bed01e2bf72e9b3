import { computeAttribution, partnersReport } from '@referral-ledger/projections';
import { formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report partners`: the playbook's Partner Attribution Report for a period (SPEC §7, §9). */
const report: ReportDefinition = {
  name: 'partners',
  summary: 'partner attribution report: referrals, pipeline, won revenue, commission, win rate',
  build(ctx) {
    const json = partnersReport(ctx.model, computeAttribution(ctx.model), {
      partner: ctx.partner,
      from: ctx.from ? Date.parse(ctx.from) : undefined,
      to: ctx.to ? Date.parse(ctx.to) : undefined,
    });
    const meta = runMeta(ctx);
    meta.push(['Currency', json.currency]);
    if (json.missingFxRate.length > 0)
      meta.push(['Left out (no exchange rate)', json.missingFxRate.join(', ')]);
    return {
      title: ctx.partner ? `Partner attribution report for ${ctx.partner}` : 'Partner attribution report',
      meta,
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            title: 'Partners',
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'name', header: 'Name' },
              { key: 'program', header: 'Program' },
              { key: 'referrals', header: 'Referrals', align: 'right' },
              { key: 'pipeline', header: 'Pipeline', align: 'right' },
              { key: 'wonRevenue', header: 'Won revenue', align: 'right' },
              { key: 'wonDeals', header: 'Won deals', align: 'right' },
              { key: 'commission', header: 'Commission', align: 'right' },
              { key: 'winRate', header: 'Win rate', align: 'right' },
            ],
            rows: json.partners.map((p) => ({
              partnerId: p.partnerId,
              name: p.name,
              program: p.program,
              referrals: p.referrals,
              pipeline: formatMoney(p.pipeline, json.currency),
              wonRevenue: formatMoney(p.wonRevenue, json.currency),
              wonDeals: p.wonDeals,
              commission: formatMoney(p.commission, json.currency),
              winRate: p.winRate === null ? '–' : `${(p.winRate * 100).toFixed(1)} %`,
            })),
          },
        ];
      },
      chart: {
        title: 'Partners by won revenue',
        bars: [...json.partners]
          .sort((a, b) => b.wonRevenue - a.wonRevenue)
          .map((p) => ({
            label: p.partnerId,
            value: p.wonRevenue,
            display: formatMoney(p.wonRevenue, json.currency),
          })),
      },
    };
  },
};
export default report;
