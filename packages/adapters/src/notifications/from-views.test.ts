import type { PartnerStatement, ReferralBrief, ReferralSla } from '@referral-ledger/projections';
import { describe, expect, it } from 'vitest';
import { slaEscalationsFromView, statementDraftFromView, statusUpdateFromBrief } from './from-views.ts';

const partner = { name: 'Bozala', contactEmail: 'pm@bozala.example' };
const brief: ReferralBrief = {
  referralId: 'R-1',
  partnerId: 'P-1',
  company: 'Initech',
  lead: {
    firstName: 'Bill',
    lastName: 'Lumbergh',
    email: 'bill@initech.example',
    title: null,
    company: 'Initech',
    website: null,
    estimatedValue: null,
    timeline: null,
    useCase: null,
    erased: false,
  },
  channel: 'form',
  submittedAt: '2026-01-05T09:00:00.000Z',
  status: 'accepted',
  fit: 'good',
  fitReasons: [],
  duplicateOf: null,
  flags: [],
  salesOwnerId: 'sam',
  feedbackOwnerId: 'pat',
  feedbackStatus: 'none',
  nextAction: 'first-contact',
  opportunityId: null,
  firstContactDeadline: '2026-01-05T13:00:00.000Z',
  feedbackDeadline: '2026-01-07T09:00:00.000Z',
};
const sla = (over: Partial<ReferralSla>): ReferralSla => ({
  referralId: 'R-1',
  partnerId: 'P-1',
  status: 'accepted',
  submittedAt: '2026-01-05T09:00:00.000Z',
  firstContactMinutes: null,
  firstContactBreached: false,
  firstContactDeadline: '2026-01-05T13:00:00.000Z',
  feedbackMinutes: null,
  feedbackBreached: false,
  feedbackDeadline: '2026-01-07T09:00:00.000Z',
  stale: false,
  ...over,
});

describe('drafts from views', () => {
  it('turns a referral brief into the status update with its next step', () => {
    const d = statusUpdateFromBrief(brief, { partner, portalUrl: 'https://portal.example/r/R-1' });
    expect(d.subject).toBe('Update on your referral Initech: accepted');
    expect(d.text).toContain('Owner: sam');
    expect(d.text).toContain('Next steps: the owner will contact the lead');
  });

  it('escalates each breach of the SLA view once, and nothing for rows within their deadlines', () => {
    const drafts = slaEscalationsFromView(
      [sla({ firstContactBreached: true, feedbackBreached: true }), sla({ referralId: 'R-2' })],
      {
        to: ['lead@vendor.example'],
        asOf: '2026-01-08T09:00:00.000Z',
        briefs: [brief],
        partnerName: () => 'Bozala',
      },
    );
    expect(drafts.map((d) => d.subject)).toEqual([
      'SLA breach: referral Initech from Bozala (first-contact)',
      'SLA breach: referral Initech from Bozala (feedback)',
    ]);
    expect(drafts[0]!.text).toContain('Overdue by: 68 h');
  });

  it('states one month of the statements view, or nothing for a month it lacks', () => {
    const statement: PartnerStatement = {
      partnerId: 'P-1',
      currency: 'USD',
      months: [
        {
          month: '2026-02',
          opening: 0,
          earned: 180000,
          clawedBack: 0,
          adjusted: 0,
          paid: 100000,
          closing: 80000,
          lines: [
            {
              date: '2026-02-10T00:00:00.000Z',
              kind: 'commission',
              opportunityId: 'O-1',
              schedule: 'one-time',
              amount: 180000,
            },
            { date: '2026-02-20T00:00:00.000Z', kind: 'payout', payoutId: 'PO-1', amount: -100000 },
          ],
        },
      ],
    };
    const d = statementDraftFromView(partner, statement, '2026-02')!;
    expect(d.subject).toBe('Your commission statement for 2026-02');
    expect(d.text).toContain('Closing balance  USD 800.00');
    expect(d.text).toContain('O-1   2026-02-10 commission  USD 1,800.00');
    expect(d.text).toContain('PO-1  2026-02-20 payout      -USD 1,000.00');
    expect(statementDraftFromView(partner, statement, '2026-03')).toBeUndefined();
  });
});
