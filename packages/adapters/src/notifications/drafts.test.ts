import { money } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatAmount,
  monthlyStatement,
  newOverlapAlert,
  partnerStatusUpdate,
  slaBreachEscalation,
  weeklyPipelineDigest,
} from './drafts.ts';

const partner = { name: 'Acme Partners', contactEmail: 'pm@acme-partners.example' };

describe('amounts and escaping', () => {
  it('formats minor units with the currency digits and thousands', () => {
    expect(formatAmount(money(123456789, 'USD'))).toBe('USD 1,234,567.89');
    expect(formatAmount(money(-1500, 'JPY'))).toBe('-JPY 1,500');
    expect(escapeHtml('<b>"A&B"</b>')).toBe('&#60;b&#62;&#34;A&#38;B&#34;&#60;/b&#62;');
  });
});

describe('partner status update', () => {
  const referral = {
    referralId: 'R-7',
    company: 'Globex',
    status: 'qualified',
    ownerName: 'Sam Sales',
    lastActivityAt: '2026-02-03T14:30:00Z',
    nextSteps: 'Demo on Friday',
  };

  it('says status, owner, last activity, next steps and links the portal', () => {
    const d = partnerStatusUpdate({ partner, referral, portalUrl: 'https://portal.example/r/R-7' });
    expect(d.to).toEqual(['pm@acme-partners.example']);
    expect(d.subject).toBe('Update on your referral Globex: qualified');
    expect(d.text).toContain(
      'Status: qualified\nOwner: Sam Sales\nLast activity: 2026-02-03 14:30 UTC\nNext steps: Demo on Friday',
    );
    expect(d.text).toContain('See it in the partner portal: https://portal.example/r/R-7');
    expect(d.html).toContain('<a href="https://portal.example/r/R-7">');
  });

  it('gives a won deal its amount and the commission, a lost one its reason', () => {
    const won = partnerStatusUpdate({
      partner,
      referral,
      outcome: { kind: 'won', amount: money(12000000, 'USD'), commission: money(1800000, 'USD') },
    });
    expect(won.subject).toBe('Your referral Globex was won');
    expect(won.text).toContain('Deal won: USD 120,000.00\nYour commission: USD 18,000.00');
    const lost = partnerStatusUpdate({
      partner,
      referral,
      outcome: { kind: 'lost', reason: 'went with a competitor' },
    });
    expect(lost.subject).toBe('Update on your referral Globex: closed lost');
    expect(lost.text).toContain('Deal lost: went with a competitor');
  });

  it('escapes what the partner or CRM typed into the HTML', () => {
    const d = partnerStatusUpdate({ partner, referral: { ...referral, company: '<script>x</script>' } });
    expect(d.html).not.toContain('<script>');
    expect(d.html).toContain('&#60;script&#62;');
  });
});

describe('other drafts', () => {
  it('alerts the partner manager to new overlaps with both relationships', () => {
    const d = newOverlapAlert({
      manager: { name: 'Pat', email: 'pat@vendor.example' },
      partner: { partnerId: 'P-1', name: 'Bozala' },
      overlaps: [
        { accountDomain: 'acme.example', ourRelationship: 'prospect', partnerRelationship: 'customer' },
        { accountDomain: 'globex.example', ourRelationship: 'none', partnerRelationship: 'opportunity' },
      ],
    });
    expect(d.to).toEqual(['pat@vendor.example']);
    expect(d.subject).toBe('2 new account overlaps with Bozala');
    expect(d.text).toContain('acme.example    prospect  customer');
    expect(d.text).toContain('globex.example  none      opportunity');
  });

  it('escalates an SLA breach with the deadline and how late it is', () => {
    const d = slaBreachEscalation({
      to: ['lead@vendor.example'],
      referral: {
        referralId: 'R-2',
        company: 'Initech',
        partnerName: 'Bozala',
        submittedAt: '2026-01-05T09:00:00Z',
        ownerName: 'Sam',
      },
      breach: 'first-contact',
      deadline: '2026-01-05T13:00:00Z',
      asOf: '2026-01-05T16:30:00Z',
    });
    expect(d.subject).toBe('SLA breach: referral Initech from Bozala (first-contact)');
    expect(d.text).toContain('has not been contacted within the first-contact SLA');
    expect(d.text).toContain('Deadline: 2026-01-05 13:00 UTC\nOverdue by: 3 h');
  });

  it('digests the week: counts, pipeline per currency, each referral', () => {
    const d = weeklyPipelineDigest({
      partner,
      weekOf: '2026-02-02',
      referrals: [
        { company: 'Acme', status: 'accepted', nextStep: 'first-contact', value: money(5000000, 'USD') },
        { company: 'Globex', status: 'qualified', value: money(2500050, 'USD') },
        { company: 'Umbrella', status: 'submitted', value: money(100000, 'EUR') },
      ],
      submittedThisWeek: 1,
      wonThisWeek: 0,
    });
    expect(d.subject).toBe('Your referral pipeline, week of 2026-02-02');
    expect(d.text).toContain(
      'Submitted this week: 1. Won this week: 0. Pipeline: USD 75,000.50 + EUR 1,000.00.',
    );
    expect(d.text).toContain('Acme      accepted   USD 50,000.00  first-contact');
  });

  it('states the month with a negative closing balance explained', () => {
    const d = monthlyStatement({
      partner,
      month: '2026-03',
      currency: 'EUR',
      opening: 10000,
      earned: 50000,
      clawedBack: 70000,
      adjusted: 0,
      paid: 10000,
      closing: -20000,
      lines: [{ opportunityId: 'O-1', description: 'sourced, silver', amount: 50000 }],
    });
    expect(d.subject).toBe('Your commission statement for 2026-03');
    expect(d.text).toContain(
      'Opening balance  EUR 100.00\nEarned           EUR 500.00\nClawed back      -EUR 700.00',
    );
    expect(d.text).toContain('Closing balance  -EUR 200.00');
    expect(d.text).toContain('carried into your next payout');
    expect(d.text).toContain('O-1   sourced, silver  EUR 500.00');
  });
});
