import { describe, expect, it } from 'vitest';
import { ev, type LogLine, modelOf } from '../testing/ops-log.ts';
import { computeBriefs } from './brief.ts';

const T = '2026-06-10T00:00:00Z';
const base = [ev.enrol('P-1', '2025-01-01T00:00:00Z')];
const accept = (at: string) =>
  ev.on('ReferralAccepted', at, {
    referralId: 'R-1',
    salesOwnerId: 'rep-1',
    feedbackOwnerId: 'pm-1',
    approvedBy: 'pm-1',
  });
const feedback = (at: string) =>
  ev.on('PartnerFeedbackSent', at, { referralId: 'R-1', sentBy: 'pm-1', message: 'update' });
const contact = (at: string) => ev.on('ReferralContacted', at, { referralId: 'R-1', contactedBy: 'rep-1' });
const qualify = (at: string) => ev.on('ReferralQualified', at, { referralId: 'R-1' });
const convert = (at: string) => ev.on('ReferralConverted', at, { referralId: 'R-1', opportunityId: 'O-1' });
const open = (at: string) =>
  ev.on('OpportunityOpened', at, {
    opportunityId: 'O-1',
    accountDomain: 'r-1.example',
    accountName: 'Co',
    value: { amount: 100000, currency: 'USD' },
    ownerId: 'rep-1',
  });
const submitted = ev.submit('R-1', 'P-1', '2026-06-01T09:00:00Z', {
  estimatedValue: { amount: 500000, currency: 'USD' },
});
const brief = (lines: LogLine[], asOf = T) =>
  computeBriefs(modelOf([...base, submitted, ...lines], { asOf }))[0]!;

describe('referral brief: nextAction (SPEC §6.5), the first that applies', () => {
  it('none for a withdrawn referral, even if flagged', () => {
    const b = brief([
      ev.on('ReferralFlagged', '2026-06-01T09:00:00Z', {
        referralId: 'R-1',
        flag: 'incomplete',
        detail: 'no phone',
      }),
      ev.on('ReferralWithdrawn', '2026-06-02T09:00:00Z', { referralId: 'R-1' }),
    ]);
    expect(b).toMatchObject({ status: 'withdrawn', nextAction: 'none' });
  });

  it('review-flags for an undecided flagged or duplicate referral', () => {
    expect(
      brief([
        ev.on('ReferralFlagged', '2026-06-01T09:00:00Z', {
          referralId: 'R-1',
          flag: 'self-referral',
          detail: 'own domain',
        }),
      ]).nextAction,
    ).toBe('review-flags');
    const dup = brief([
      ev.on('ReferralDuplicateFlagged', '2026-06-01T09:00:00Z', {
        referralId: 'R-1',
        duplicateOf: { kind: 'crm-lead', id: 'L-9' },
        matchedOn: 'email',
      }),
    ]);
    expect(dup).toMatchObject({
      nextAction: 'review-flags',
      duplicateOf: { kind: 'crm-lead', id: 'L-9' },
      fit: 'review',
      fitReasons: ['duplicate'],
    });
  });

  it('decide for an undecided clean referral', () => {
    expect(brief([])).toMatchObject({
      status: 'submitted',
      nextAction: 'decide',
      fit: 'good',
      fitReasons: [],
    });
  });

  it('first-contact once accepted and not contacted, even before feedback', () => {
    expect(brief([accept('2026-06-01T10:00:00Z')])).toMatchObject({
      status: 'accepted',
      nextAction: 'first-contact',
      salesOwnerId: 'rep-1',
      feedbackOwnerId: 'pm-1',
    });
  });

  it('send-feedback when no feedback came at or after the last status change', () => {
    expect(
      brief([
        accept('2026-06-01T10:00:00Z'),
        feedback('2026-06-01T10:30:00Z'),
        contact('2026-06-01T11:00:00Z'),
      ]).nextAction,
    ).toBe('send-feedback');
    expect(
      brief([
        accept('2026-06-01T10:00:00Z'),
        contact('2026-06-01T11:00:00Z'),
        feedback('2026-06-01T11:00:00Z'),
      ]).nextAction,
    ).toBe('none');
    const rejected = ev.on('ReferralRejected', '2026-06-01T10:00:00Z', {
      referralId: 'R-1',
      reason: 'no budget',
      partnerExplanation: 'No budget this year',
      approvedBy: 'pm-1',
    });
    expect(brief([rejected])).toMatchObject({ status: 'rejected', nextAction: 'send-feedback' });
    expect(brief([rejected, feedback('2026-06-01T12:00:00Z')]).nextAction).toBe('none');
  });

  it('convert when qualified, not converted, and feedback is up to date', () => {
    expect(
      brief([
        accept('2026-06-01T10:00:00Z'),
        contact('2026-06-01T11:00:00Z'),
        qualify('2026-06-02T11:00:00Z'),
        feedback('2026-06-02T12:00:00Z'),
      ]),
    ).toMatchObject({ status: 'qualified', nextAction: 'convert' });
  });

  it('send-feedback again when the converted deal is won, and the status follows the deal', () => {
    const lines = [
      accept('2026-06-01T10:00:00Z'),
      contact('2026-06-01T11:00:00Z'),
      qualify('2026-06-02T11:00:00Z'),
      open('2026-06-03T09:00:00Z'),
      convert('2026-06-03T09:00:00Z'),
      feedback('2026-06-03T10:00:00Z'),
    ];
    expect(brief(lines)).toMatchObject({ status: 'converted', nextAction: 'none', opportunityId: 'O-1' });
    const won = ev.on('OpportunityWon', '2026-06-08T09:00:00Z', {
      opportunityId: 'O-1',
      value: { amount: 100000, currency: 'USD' },
    });
    expect(brief([...lines, won])).toMatchObject({ status: 'won', nextAction: 'send-feedback' });
    const lost = ev.on('OpportunityLost', '2026-06-08T09:00:00Z', { opportunityId: 'O-1', reason: 'price' });
    expect(brief([...lines, lost, feedback('2026-06-09T09:00:00Z')])).toMatchObject({
      status: 'lost',
      nextAction: 'none',
    });
  });
});

describe('referral brief: fit and feedback status', () => {
  it('needs review with flag names, no estimate, or an estimate under the minimum', () => {
    const model = modelOf(
      [
        ev.rules({ fit: { minEstimatedValue: 1000000 } }),
        ...base,
        ev.submit('R-1', 'P-1', '2026-06-01T09:00:00Z'),
        ev.submit('R-2', 'P-1', '2026-06-01T09:00:00Z', {
          estimatedValue: { amount: 999999, currency: 'USD' },
        }),
        ev.submit('R-3', 'P-1', '2026-06-01T09:00:00Z', {
          estimatedValue: { amount: 1000000, currency: 'USD' },
        }),
        ev.on('ReferralFlagged', '2026-06-01T09:00:00Z', {
          referralId: 'R-3',
          flag: 'existing-customer',
          detail: 'won deal',
        }),
        ev.on('ReferralFlagged', '2026-06-01T09:00:00Z', {
          referralId: 'R-3',
          flag: 'excluded-domain',
          detail: 'competitor',
        }),
        ev.submit('R-4', 'P-1', '2026-06-01T09:00:00Z', {
          estimatedValue: { amount: 1000000, currency: 'USD' },
        }),
      ],
      { asOf: T },
    );
    const fits = Object.fromEntries(
      computeBriefs(model).map((b) => [b.referralId, [b.fit, b.fitReasons, b.flags]]),
    );
    expect(fits).toEqual({
      'R-1': ['review', ['no-estimated-value'], []],
      'R-2': ['review', ['below-min-estimated-value'], []],
      'R-3': ['review', ['existing-customer', 'excluded-domain'], ['existing-customer', 'excluded-domain']],
      'R-4': ['good', [], []],
    });
  });

  it('feedback is none, then overdue past feedbackHours, then sent', () => {
    expect(brief([], '2026-06-03T09:00:00Z').feedbackStatus).toBe('none'); // exactly 48 h
    expect(brief([], '2026-06-03T09:01:00Z').feedbackStatus).toBe('overdue');
    expect(brief([feedback('2026-06-05T09:00:00Z')]).feedbackStatus).toBe('sent');
  });

  it('shows the intake form, with personal fields only while not erased', () => {
    expect(brief([]).lead).toEqual({
      firstName: 'Ada',
      lastName: 'Lane',
      email: 'ada@r-1.example',
      title: null,
      company: 'Co R-1',
      website: null,
      estimatedValue: { amount: 500000, currency: 'USD' },
      timeline: null,
      useCase: null,
      erased: false,
    });
  });

  it('shows SLA deadlines on the calendar clock', () => {
    expect(brief([])).toMatchObject({
      firstContactDeadline: '2026-06-01T13:00:00.000Z',
      feedbackDeadline: '2026-06-03T09:00:00.000Z',
    });
  });
});
