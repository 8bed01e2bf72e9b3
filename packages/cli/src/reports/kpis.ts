import { computeAttribution, computeKpis, type KpiName } from '@referral-ledger/projections';
import { formatShare } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

const LABELS: Record<KpiName, string> = {
  partnerSourcedRevenueShare: 'Partner-sourced revenue share',
  referralWinRate: 'Referral win rate',
  medianFirstContactMinutes: 'Median first contact (min)',
  activeReferrerShare: 'Active referrer share',
  registrationQuality: 'Registration quality',
  referralAcceptanceRate: 'Referral acceptance rate',
  customerSourcedRevenueShare: 'Customer-sourced revenue share',
  employeeSourcedRevenueShare: 'Employee-sourced revenue share',
};

function show(name: KpiName, v: number | null): string {
  if (v === null) return 'n/a';
  return name === 'medianFirstContactMinutes' ? String(v) : formatShare(v);
}

/** `report kpis --from --to`: the programme KPIs with targets (SPEC §6.7). */
const report: ReportDefinition = {
  name: 'kpis',
  summary: 'programme KPIs over a period with their targets and whether they are met',
  build(ctx) {
    const attribution = computeAttribution(ctx.model);
    const k = computeKpis(ctx.model, {
      from: ctx.from ? Date.parse(ctx.from) : undefined,
      to: ctx.to ? Date.parse(ctx.to) : undefined,
      attribution,
      partnerId: ctx.partner,
    });
    const meta = [...runMeta(ctx), ['Currency', k.currency] as [string, string]];
    if (k.unconverted.length > 0) meta.push(['Left out (no exchange rate)', k.unconverted.join(', ')]);
    return {
      title: 'Programme KPIs',
      meta,
      json: { asOf: ctx.asOf, from: k.from, to: k.to, currency: k.currency, kpis: k.kpis },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'kpi', header: 'KPI' },
              { key: 'value', header: 'Value', align: 'right' },
              { key: 'target', header: 'Target', align: 'right' },
              { key: 'met', header: 'Met' },
            ],
            rows: k.kpis.map((x) => ({
              kpi: LABELS[x.name],
              value: show(x.name, x.value),
              target: x.target === null ? '' : show(x.name, x.target),
              met: x.met === null ? 'n/a' : x.met,
            })),
          },
        ];
      },
    };
  },
};
export default report;
