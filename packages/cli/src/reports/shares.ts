import { computeShares } from '@referral-ledger/projections';
import { formatShare } from '../format/money.ts';
import type { ReportDefinition } from './types.ts';
import { runMeta } from './types.ts';

/** `report shares`: how each partner handles the leads we share with it (SPEC §7). */
const report: ReportDefinition = {
  name: 'shares',
  summary: 'leads shared with partners: responses, outcomes, conversion rate, median response time',
  build(ctx) {
    const partners = computeShares(ctx.model, { partnerId: ctx.partner });
    return {
      title: 'Shared leads per partner',
      meta: runMeta(ctx),
      json: { asOf: ctx.asOf, partners },
      tables: [
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
      ],
      chart: {
        title: 'Shared leads won per partner',
        bars: partners.map((p) => ({ label: p.partnerId, value: p.won, display: `${p.won} of ${p.shared}` })),
      },
    };
  },
};
export default report;
