import { computeSla } from '@referral-ledger/projections';
import { formatShare } from '../format/money.ts';
import type { ReportDefinition, Tables } from './types.ts';
import { runMeta } from './types.ts';

function minutes(m: number | null): string {
  if (m === null) return '';
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${String(m % 60).padStart(2, '0')} min` : `${m} min`;
}

function verdict(breached: boolean | null, minutesTaken: number | null): string {
  if (breached === null) return 'n/a (closed)';
  if (breached) return 'breached';
  return minutesTaken === null ? 'pending' : 'met';
}

/** `report sla`: first-contact and feedback times per referral, and the summary (SPEC §6.8). */
const report: ReportDefinition = {
  name: 'sla',
  summary: 'first-contact and feedback SLA per referral, with met rates and stale referrals',
  build(ctx) {
    const view = computeSla(ctx.model, { partnerId: ctx.partner });
    const rules = ctx.model.rulesAt(ctx.model.asOf);
    const s = view.summary;
    const bh = rules.sla.businessHours;
    return {
      title: 'Referral SLA',
      meta: [
        ...runMeta(ctx),
        [
          'Clock',
          bh
            ? `business hours ${bh.start}–${bh.end}, ISO days ${bh.days.join(',')}, ${bh.timeZone}`
            : 'calendar time',
        ],
        [
          'Targets',
          `first contact ${rules.sla.firstContactHours} h, feedback ${rules.sla.feedbackHours} h, stale after ${rules.sla.staleAfterDays} days`,
        ],
      ],
      json: { asOf: ctx.asOf, referrals: view.referrals, summary: view.summary },
      // Built when a table format renders them: `--format json` never does.
      get tables(): Tables {
        return [
          {
            title: 'Summary',
            columns: [
              { key: 'measure', header: 'Measure' },
              { key: 'met', header: 'Met', align: 'right' },
              { key: 'breached', header: 'Breached', align: 'right' },
              { key: 'rate', header: 'Met rate', align: 'right' },
            ],
            rows: [
              {
                measure: 'First contact',
                met: s.firstContactMet,
                breached: s.firstContactBreached,
                rate: s.firstContactRate === null ? 'n/a' : formatShare(s.firstContactRate),
              },
              {
                measure: 'Partner feedback',
                met: s.feedbackMet,
                breached: s.feedbackBreached,
                rate: s.feedbackRate === null ? 'n/a' : formatShare(s.feedbackRate),
              },
              { measure: `Stale (of ${s.total} referrals)`, met: '', breached: s.stale, rate: '' },
            ],
          },
          {
            title: 'Referrals',
            columns: [
              { key: 'referralId', header: 'Referral' },
              { key: 'partnerId', header: 'Partner' },
              { key: 'status', header: 'Status' },
              { key: 'firstContact', header: 'First contact', align: 'right' },
              { key: 'firstContactVerdict', header: 'SLA' },
              { key: 'feedback', header: 'Feedback', align: 'right' },
              { key: 'feedbackVerdict', header: 'SLA' },
              { key: 'stale', header: 'Stale' },
            ],
            rows: view.referrals.map((r) => ({
              referralId: r.referralId,
              partnerId: r.partnerId,
              status: r.status,
              firstContact: minutes(r.firstContactMinutes),
              firstContactVerdict: verdict(r.firstContactBreached, r.firstContactMinutes),
              feedback: minutes(r.feedbackMinutes),
              feedbackVerdict: verdict(r.feedbackBreached, r.feedbackMinutes),
              stale: r.stale,
            })),
          },
        ];
      },
      chart: {
        title: 'SLA met vs breached',
        bars: [
          { label: 'First contact met', value: s.firstContactMet },
          { label: 'First contact breached', value: s.firstContactBreached },
          { label: 'Feedback met', value: s.feedbackMet },
          { label: 'Feedback breached', value: s.feedbackBreached },
        ],
      },
    };
  },
};
export default report;
