import { computeBriefs } from '@referral-ledger/projections';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

/** `report referrals`: the referral brief of every referral (SPEC §6.5). */
const report: ReportDefinition = {
  name: 'referrals',
  summary: 'referral briefs: fit and reasons, flags, owners, feedback status and the next action',
  build(ctx) {
    const briefs = computeBriefs(ctx.model, { partnerId: ctx.partner });
    return {
      title: 'Referral briefs',
      meta: runMeta(ctx),
      json: { asOf: ctx.asOf, referrals: briefs },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'referralId', header: 'Referral' },
              { key: 'partnerId', header: 'Partner' },
              { key: 'company', header: 'Company' },
              { key: 'status', header: 'Status' },
              { key: 'fit', header: 'Fit' },
              { key: 'owners', header: 'Sales / feedback owner' },
              { key: 'feedbackStatus', header: 'Feedback' },
              { key: 'nextAction', header: 'Next action' },
              { key: 'firstContactDeadline', header: 'Contact by' },
            ],
            rows: briefs.map((b) => ({
              referralId: b.referralId,
              partnerId: b.partnerId,
              company: b.company,
              status: b.status,
              fit:
                b.fit === 'good'
                  ? 'good'
                  : `review: ${[...b.fitReasons, ...(b.duplicateOf ? [`of ${b.duplicateOf.kind} ${b.duplicateOf.id}`] : [])].join(', ')}`,
              owners:
                b.salesOwnerId || b.feedbackOwnerId
                  ? `${b.salesOwnerId ?? '-'} / ${b.feedbackOwnerId ?? '-'}`
                  : '',
              feedbackStatus: b.feedbackStatus,
              nextAction: b.nextAction,
              firstContactDeadline: b.firstContactDeadline ?? '',
            })),
          },
        ];
      },
    };
  },
};
export default report;
