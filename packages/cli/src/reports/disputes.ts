import { disputesReport } from '@referral-ledger/projections';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report disputes`: the dispute queue, open disputes first with their age (SPEC §7, §9). */
const report: ReportDefinition = {
  name: 'disputes',
  summary: 'attribution disputes: open ones first, with their age in hours',
  build(ctx) {
    const json = disputesReport(ctx.model, { partner: ctx.partner });
    return {
      title: ctx.partner ? `Disputes raised by partner ${ctx.partner}` : 'Dispute queue',
      meta: runMeta(ctx),
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'disputeId', header: 'Dispute' },
              { key: 'opportunityId', header: 'Opportunity' },
              { key: 'claimantPartnerId', header: 'Claimant' },
              { key: 'status', header: 'Status' },
              { key: 'ageHours', header: 'Age (h)', align: 'right' },
              { key: 'openedAt', header: 'Opened' },
              { key: 'claim', header: 'Claim' },
            ],
            rows: json.disputes.map((d) => ({ ...d })),
          },
        ];
      },
    };
  },
};
export default report;
