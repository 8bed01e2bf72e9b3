import { computeShares, partnerExchange } from '@referral-ledger/projections';
import { formatShare } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report shares`: how each partner handles the leads we share with it (SPEC §7). */
const report: ReportDefinition = {
  name: 'shares',
  summary: 'leads shared with partners: responses, outcomes, conversion rate, median response time',
  build(ctx) {
    const partners = computeShares(ctx.model, { partnerId: ctx.partner });
    // The partner-scoped view also lists the leads themselves and the overlaps it may see.
    const own = ctx.partner ? partnerExchange(ctx.model, ctx.partner) : null;
    const extraTables = own
      ? [
          {
            title: `Leads shared with ${own.partnerId}`,
            columns: [
              { key: 'shareId', header: 'Share' },
              { key: 'accountDomain', header: 'Account' },
              { key: 'sharedAt', header: 'Shared' },
              { key: 'response', header: 'Response' },
              { key: 'outcome', header: 'Outcome' },
              { key: 'reason', header: 'Why we shared it' },
            ],
            rows: own.leads.map((l) => ({
              shareId: l.shareId,
              accountDomain: l.accountDomain,
              sharedAt: l.sharedAt,
              response: l.response ?? 'awaiting',
              outcome: l.outcome ?? '',
              reason: l.reason,
            })),
          },
          {
            title: `Account overlaps with ${own.partnerId}`,
            columns: [
              { key: 'accountDomain', header: 'Account' },
              { key: 'ourRelationship', header: 'Ours' },
              { key: 'partnerRelationship', header: 'Theirs' },
              { key: 'source', header: 'Source' },
              { key: 'detectedAt', header: 'Detected' },
            ],
            rows: own.overlaps.map((o) => ({ ...o })),
          },
        ]
      : [];
    return {
      title: 'Shared leads per partner',
      meta: runMeta(ctx),
      json: own
        ? { asOf: ctx.asOf, partners, leads: own.leads, overlaps: own.overlaps }
        : { asOf: ctx.asOf, partners },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'partnerId', header: 'Partner' },
              { key: 'shared', header: 'Shared', align: 'right' },
              { key: 'accepted', header: 'Accepted', align: 'right' },
              { key: 'declined', header: 'Declined', align: 'right' },
              { key: 'won', header: 'Won', align: 'right' },
              { key: 'lost', header: 'Lost', align: 'right' },
              { key: 'conversionRate', header: 'Conversion', align: 'right' },
              { key: 'medianResponseHours', header: 'Median response (h)', align: 'right' },
            ],
            rows: partners.map((p) => ({
              ...p,
              conversionRate: p.conversionRate === null ? '' : formatShare(p.conversionRate),
              medianResponseHours: p.medianResponseHours === null ? '' : p.medianResponseHours.toFixed(1),
            })),
          },
          ...extraTables,
        ];
      },
      chart: {
        title: 'Shared leads won per partner',
        bars: partners.map((p) => ({ label: p.partnerId, value: p.won, display: `${p.won} of ${p.shared}` })),
      },
    };
  },
};
export default report;
