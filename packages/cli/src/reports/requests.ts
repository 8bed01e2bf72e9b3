import { computeRequests } from '@referral-ledger/projections';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

const BLOCKED_TEXT: Record<string, string> = {
  offboarded: 'offboarded',
  tenure: 'too new a customer',
  quiet: 'quiet after a detractor signal',
  quota: 'quarterly request limit reached',
};

/** `report requests`: referral requests due to customers, or why they are blocked (SPEC §6.6). */
const report: ReportDefinition = {
  name: 'requests',
  summary: 'referral requests to customers: what is due (ask, follow-up, alternative ask) or why blocked',
  build(ctx) {
    const customers = computeRequests(ctx.model, { partnerId: ctx.partner });
    const rules = ctx.model.rulesAt(ctx.model.asOf).requests;
    return {
      title: 'Referral requests to customers',
      meta: [
        ...runMeta(ctx),
        [
          'Cadence',
          `ask within ${rules.askWithinHours} h of a promoter signal (≤ ${rules.askWindowDays} days old), follow-up after ${rules.followUpDays} days, alternative ask after ${rules.alternativeAskDays} days; at most ${rules.maxPerQuarter} per 90 days, quiet ${rules.quietDays} days after a detractor, tenure ≥ ${rules.minTenureDays} days`,
        ],
      ],
      json: {
        asOf: ctx.asOf,
        customers: customers.map((c) => ({
          partnerId: c.partnerId,
          blocked: c.blocked,
          due: c.due,
          requestsLast90Days: c.requestsLast90Days,
          lastPromoterSignal: c.lastPromoterSignal,
          lastAsk: c.lastAsk,
        })),
      },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            columns: [
              { key: 'partnerId', header: 'Customer' },
              { key: 'name', header: 'Name' },
              { key: 'state', header: 'Due / blocked' },
              { key: 'since', header: 'Due since' },
              { key: 'overdue', header: 'Overdue' },
              { key: 'requestsLast90Days', header: 'Requests (90 d)', align: 'right' },
            ],
            rows: customers.map((c) => ({
              partnerId: c.partnerId,
              name: c.name,
              state: c.blocked
                ? `blocked: ${BLOCKED_TEXT[c.blocked] ?? c.blocked}`
                : (c.due?.step ?? 'nothing due'),
              since: c.due?.since ?? '',
              overdue: c.due ? c.due.overdue : '',
              requestsLast90Days: c.requestsLast90Days,
            })),
          },
        ];
      },
    };
  },
};
export default report;
