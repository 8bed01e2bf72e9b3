import { computeAttribution, leaderboardReport } from '@referral-ledger/projections';
import { formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report leaderboard`: partners ranked by won revenue; `--partner` shows its own rank only (SPEC §9). */
const report: ReportDefinition = {
  name: 'leaderboard',
  summary: 'partners ranked by won revenue, won deals and referrals',
  build(ctx) {
    const json = leaderboardReport(ctx.model, computeAttribution(ctx.model), {
      partner: ctx.partner,
      from: ctx.from ? Date.parse(ctx.from) : undefined,
      to: ctx.to ? Date.parse(ctx.to) : undefined,
    });
    const meta = runMeta(ctx);
    meta.push(['Currency', json.currency]);
    return {
      title: ctx.partner ? `Leaderboard rank of ${ctx.partner}` : 'Partner leaderboard',
      meta,
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            title: 'Leaderboard',
            columns: [
              { key: 'rank', header: 'Rank', align: 'right' },
              { key: 'partnerId', header: 'Partner' },
              { key: 'wonRevenue', header: 'Won revenue', align: 'right' },
              { key: 'wonDeals', header: 'Won deals', align: 'right' },
              { key: 'referrals', header: 'Referrals', align: 'right' },
            ],
            rows: json.partners.map((p) => ({ ...p, wonRevenue: formatMoney(p.wonRevenue, json.currency) })),
          },
        ];
      },
      chart: {
        title: 'Won revenue',
        bars: json.partners.map((p) => ({
          label: `${p.rank}. ${p.partnerId}`,
          value: p.wonRevenue,
          display: formatMoney(p.wonRevenue, json.currency),
        })),
      },
    };
  },
};
export default report;
