import { computeFunnel } from '@referral-ledger/projections';
import { formatShare } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

const ORDER = [
  'submitted',
  'accepted',
  'contacted',
  'qualified',
  'converted',
  'won',
  'lost',
  'rejected',
  'duplicated',
] as const;

/** `report funnel`: how many referrals reached each stage (SPEC §7; stages explained in docs/sla.md). */
const report: ReportDefinition = {
  name: 'funnel',
  summary:
    'referral funnel: submitted, accepted, contacted, qualified, converted, won, lost (+ rejected, duplicated)',
  build(ctx) {
    const { stages } = computeFunnel(ctx.model, { partnerId: ctx.partner });
    const of = (n: number) => (stages.submitted === 0 ? '' : formatShare(n / stages.submitted));
    return {
      title: 'Referral funnel',
      meta: runMeta(ctx),
      json: { asOf: ctx.asOf, stages },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'stage', header: 'Stage' },
              { key: 'count', header: 'Referrals', align: 'right' },
              { key: 'ofSubmitted', header: 'Of submitted', align: 'right' },
            ],
            rows: ORDER.map((k) => ({ stage: k, count: stages[k], ofSubmitted: of(stages[k]) })),
          },
        ];
      },
      chart: { title: 'Referral funnel', bars: ORDER.map((k) => ({ label: k, value: stages[k] })) },
    };
  },
};
export default report;
