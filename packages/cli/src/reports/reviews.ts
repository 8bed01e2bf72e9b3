import { computeReviews } from '@referral-ledger/projections';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';
import { upstreamFor } from './upstream.ts';

/** `report reviews`: everything waiting for a partner manager, oldest first (SPEC §6.5). */
const report: ReportDefinition = {
  name: 'reviews',
  summary: 'review queue: flagged and duplicate referrals, conflicts, open disputes, unapproved commissions',
  build(ctx) {
    const items = computeReviews(ctx.model, upstreamFor(ctx.model), { partnerId: ctx.partner });
    return {
      title: 'Review queue',
      meta: runMeta(ctx),
      json: {
        asOf: ctx.asOf,
        items: items.map((i) => ({
          kind: i.kind,
          id: i.id,
          since: i.since,
          ageHours: i.ageHours,
          partnerIds: i.partnerIds,
          detail: i.detail,
        })),
      },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'kind', header: 'Kind' },
              { key: 'id', header: 'Id' },
              { key: 'partners', header: 'Partners' },
              { key: 'detail', header: 'Detail' },
              { key: 'since', header: 'Waiting since' },
              { key: 'ageHours', header: 'Age (h)', align: 'right' },
            ],
            rows: items.map((i) => ({
              kind: i.kind,
              id: i.id,
              partners: i.partnerIds.join(', '),
              detail: i.detail,
              since: i.since,
              ageHours: i.ageHours,
            })),
          },
        ];
      },
    };
  },
};
export default report;
