import { attributionReport } from '@referral-ledger/projections';
import { formatMoney, formatShare } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report attribution`: per opportunity status, value, credits, conflict and disputed (SPEC §7, §9). */
const report: ReportDefinition = {
  name: 'attribution',
  summary: 'credits per opportunity: sourced, influenced, resold, house',
  build(ctx) {
    const json = attributionReport(ctx.model, { partner: ctx.partner });
    return {
      title: ctx.partner ? `Attribution for partner ${ctx.partner}` : 'Attribution by opportunity',
      meta: runMeta(ctx),
      json,
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        const deals = json.opportunities.map((o) => ({
          opportunityId: o.opportunityId,
          status: o.status,
          value: formatMoney(o.value.amount, o.value.currency),
          sourced: o.sourcedPartyId ?? '',
          flags: [o.conflict ? 'conflict' : '', o.disputed ? 'disputed' : ''].filter(Boolean).join(', '),
          ruleVersion: o.ruleVersion,
        }));
        const credits = json.opportunities.flatMap((o) =>
          o.credits.map((c) => ({
            opportunityId: o.opportunityId,
            partyId: c.partyId,
            kind: c.kind,
            share: formatShare(c.share),
            amount: formatMoney(c.amount, o.value.currency),
          })),
        );
        return [
          {
            title: 'Opportunities',
            columns: [
              { key: 'opportunityId', header: 'Opportunity' },
              { key: 'status', header: 'Status' },
              { key: 'value', header: 'Value', align: 'right' },
              ...(ctx.partner ? [] : [{ key: 'sourced', header: 'Sourced by' }]),
              { key: 'flags', header: 'Review' },
              { key: 'ruleVersion', header: 'Rules' },
            ],
            rows: deals,
          },
          {
            title: 'Credits',
            columns: [
              { key: 'opportunityId', header: 'Opportunity' },
              { key: 'partyId', header: 'Party' },
              { key: 'kind', header: 'Kind' },
              { key: 'share', header: 'Share', align: 'right' },
              { key: 'amount', header: 'Amount', align: 'right' },
            ],
            rows: credits,
          },
        ];
      },
    };
  },
};
export default report;
