import { sourcesReport } from '@referral-ledger/projections';
import { formatMoney } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report sources`: won revenue by credit kind, sourced vs influenced vs resold vs house (SPEC §7, §9). */
const report: ReportDefinition = {
  name: 'sources',
  summary: 'sourced vs influenced vs resold vs house revenue of won deals',
  build(ctx) {
    const r = sourcesReport(ctx.model, {
      partner: ctx.partner,
      from: ctx.from ? Date.parse(ctx.from) : undefined,
      to: ctx.to ? Date.parse(ctx.to) : undefined,
    });
    const total = r.sourced + r.influenced + r.resold + r.house;
    const kinds = ['sourced', 'influenced', 'resold', 'house'] as const;
    const pct = (v: number) => (total === 0 ? '' : `${((v / total) * 100).toFixed(1)} %`);
    const meta = runMeta(ctx);
    meta.push(['Currency', r.currency], ['Won deals', String(r.deals)]);
    if (r.missingFxRate.length > 0)
      meta.push(['Left out (no exchange rate at close)', r.missingFxRate.join(', ')]);
    return {
      title: ctx.partner
        ? `Won revenue by credit kind for partner ${ctx.partner}`
        : 'Won revenue by credit kind',
      meta,
      json: r,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'kind', header: 'Kind' },
              { key: 'amount', header: 'Won revenue', align: 'right' },
              { key: 'share', header: 'Share', align: 'right' },
            ],
            rows: [
              ...kinds.map((k) => ({ kind: k, amount: formatMoney(r[k], r.currency), share: pct(r[k]) })),
              { kind: 'total', amount: formatMoney(total, r.currency), share: total === 0 ? '' : '100.0 %' },
            ],
          },
        ];
      },
      chart: {
        title: 'Won revenue by credit kind',
        bars: kinds.map((k) => ({ label: k, value: r[k], display: formatMoney(r[k], r.currency) })),
      },
    };
  },
};
export default report;
