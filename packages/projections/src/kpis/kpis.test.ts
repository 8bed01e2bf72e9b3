import { describe, expect, it } from 'vitest';
import { ev, type LogLine, modelOf } from '../testing/ops-log.ts';
import { computeKpis, type KpiName } from './kpis.ts';

const from = Date.parse('2026-04-01T00:00:00Z');
const to = Date.parse('2026-05-01T00:00:00Z');
const opp = (id: string, at: string, amount: number, currency = 'USD') =>
  ev.on('OpportunityOpened', at, {
    opportunityId: id,
    accountDomain: `${id}.example`,
    accountName: id,
    value: { amount, currency },
    ownerId: 'rep',
  });
const won = (id: string, at: string, amount: number, currency = 'USD') =>
  ev.on('OpportunityWon', at, { opportunityId: id, value: { amount, currency } });
const lost = (id: string, at: string) => ev.on('OpportunityLost', at, { opportunityId: id, reason: 'price' });
const contacted = (id: string, at: string) =>
  ev.on('ReferralContacted', at, { referralId: id, contactedBy: 'rep' });
const accepted = (id: string, at: string) =>
  ev.on('ReferralAccepted', at, {
    referralId: id,
    salesOwnerId: 'rep',
    feedbackOwnerId: 'pm',
    approvedBy: 'pm',
  });
const rejected = (id: string, at: string) =>
  ev.on('ReferralRejected', at, {
    referralId: id,
    reason: 'no',
    partnerExplanation: 'Not a fit',
    approvedBy: 'pm',
  });
const feedback = (id: string, at: string) =>
  ev.on('PartnerFeedbackSent', at, { referralId: id, sentBy: 'pm', message: 'ok' });

function kpis(
  lines: LogLine[],
  sourced: Record<string, string | null> = {},
  extra: { partnerId?: string } = {},
) {
  const model = modelOf(lines, { asOf: '2026-05-15T00:00:00Z' });
  const attribution = new Map(Object.entries(sourced).map(([k, v]) => [k, { sourcedPartyId: v }]));
  const r = computeKpis(model, { from, to, attribution, ...extra });
  return Object.fromEntries(r.kpis.map((k) => [k.name, k])) as unknown as Record<
    KpiName,
    { value: number | null; target: number | null; met: boolean | null }
  >;
}

describe('KPIs (SPEC §6.7)', () => {
  const partners = [
    ev.enrol('P-1', '2025-01-01T00:00:00Z'),
    ev.enrol('P-2', '2025-01-01T00:00:00Z'),
    ev.enrol('K-1', '2025-01-01T00:00:00Z', { program: 'customer' }),
    ev.enrol('E-1', '2025-01-01T00:00:00Z', { program: 'employee' }),
  ];

  it('gives null values (and met null) without data, and a target from the rules', () => {
    const k = kpis(partners.slice(0, 0));
    for (const name of Object.keys(k) as KpiName[]) expect(k[name].value).toBeNull();
    expect(k.partnerSourcedRevenueShare).toEqual(expect.objectContaining({ target: 0.2, met: null }));
    expect(k.customerSourcedRevenueShare.target).toBeNull();
  });

  it('splits won revenue in the period by the sourced party’s program, in the rule set’s currency', () => {
    const lines = [
      ...partners,
      ev.on('FxRateRecorded', '2026-01-01T00:00:00Z', {
        base: 'EUR',
        quote: 'USD',
        rate: '1.5',
        source: 'ecb',
      }),
      opp('O-1', '2026-03-01T00:00:00Z', 100000),
      won('O-1', '2026-04-10T00:00:00Z', 100000), // P-1: 1,000.00
      opp('O-2', '2026-03-01T00:00:00Z', 100000, 'EUR'),
      won('O-2', '2026-04-11T00:00:00Z', 100000, 'EUR'), // K-1: 1,500.00 USD
      opp('O-3', '2026-03-01T00:00:00Z', 50000),
      won('O-3', '2026-04-12T00:00:00Z', 50000), // E-1: 500.00
      opp('O-4', '2026-03-01T00:00:00Z', 200000),
      won('O-4', '2026-04-13T00:00:00Z', 200000), // house: 2,000.00
      opp('O-5', '2026-03-01T00:00:00Z', 900000),
      won('O-5', '2026-05-01T00:00:00Z', 900000), // outside [from, to)
    ];
    const k = kpis(lines, { 'O-1': 'P-1', 'O-2': 'K-1', 'O-3': 'E-1', 'O-4': 'house', 'O-5': 'P-1' });
    // total 5,000.00
    expect(k.partnerSourcedRevenueShare).toEqual(expect.objectContaining({ value: 0.2, met: true }));
    expect(k.customerSourcedRevenueShare.value).toBeCloseTo(0.3, 12);
    expect(k.employeeSourcedRevenueShare.value).toBeCloseTo(0.1, 12);
  });

  it('win rate: won ÷ closed of deals closed in the period with a sourced party', () => {
    const lines = [
      ...partners,
      opp('O-1', '2026-03-01T00:00:00Z', 1000),
      won('O-1', '2026-04-10T00:00:00Z', 1000),
      opp('O-2', '2026-03-01T00:00:00Z', 1000),
      lost('O-2', '2026-04-10T00:00:00Z'),
      opp('O-3', '2026-03-01T00:00:00Z', 1000),
      lost('O-3', '2026-04-10T00:00:00Z'),
      opp('O-4', '2026-03-01T00:00:00Z', 1000),
      lost('O-4', '2026-04-10T00:00:00Z'), // no sourced party
    ];
    const k = kpis(lines, { 'O-1': 'P-1', 'O-2': 'P-2', 'O-3': 'K-1', 'O-4': null });
    expect(k.referralWinRate.value).toBeCloseTo(1 / 3, 12);
    expect(k.referralWinRate.met).toBe(false); // target 0.4
  });

  it('median first contact: the mean of the middle two for an even count; met when at most the target', () => {
    const lines = [
      ...partners,
      ev.submit('R-1', 'P-1', '2026-04-02T09:00:00Z'),
      contacted('R-1', '2026-04-02T10:00:00Z'), // 60
      ev.submit('R-2', 'P-1', '2026-04-03T09:00:00Z'),
      contacted('R-2', '2026-04-03T11:00:00Z'), // 120
      ev.submit('R-3', 'P-2', '2026-04-04T09:00:00Z'),
      contacted('R-3', '2026-04-04T14:00:00Z'), // 300
      ev.submit('R-4', 'P-2', '2026-04-05T09:00:00Z'),
      contacted('R-4', '2026-04-05T17:00:00Z'), // 480
      ev.submit('R-5', 'P-2', '2026-03-30T09:00:00Z'),
      contacted('R-5', '2026-04-05T17:00:00Z'), // submitted before the period
      ev.submit('R-6', 'P-2', '2026-04-06T09:00:00Z'), // not contacted
    ];
    expect(kpis(lines).medianFirstContactMinutes).toMatchObject({ value: 210, target: 240, met: true });
  });

  it('active referrer share counts partner-program partners enrolled before `to` and not offboarded', () => {
    const lines = [
      ...partners,
      ev.enrol('P-3', '2026-05-01T00:00:00Z'), // enrolled at `to`: not counted
      ev.enrol('P-4', '2025-01-01T00:00:00Z'),
      ev.on('PartnerOffboarded', '2026-04-20T00:00:00Z', { partnerId: 'P-4', reason: 'left' }),
      ev.submit('R-1', 'P-1', '2026-04-01T00:00:00Z'), // exactly 30 days before `to`
      ev.submit('R-2', 'K-1', '2026-04-20T00:00:00Z'), // a customer: not in the KPI
      ev.submit('R-3', 'P-2', '2026-03-31T23:59:59Z'), // 30 days and a second before: not active
    ];
    expect(kpis(lines).activeReferrerShare).toMatchObject({ value: 0.5, target: 0.5, met: true });
  });

  it('registration quality and acceptance rate over referrals submitted in the period', () => {
    const lines = [
      ...partners,
      ev.submit('R-1', 'P-1', '2026-04-02T09:00:00Z'),
      accepted('R-1', '2026-04-02T10:00:00Z'),
      feedback('R-1', '2026-04-04T09:00:00Z'), // exactly 48 h: within
      ev.submit('R-2', 'P-1', '2026-04-02T09:00:00Z'),
      rejected('R-2', '2026-04-02T10:00:00Z'),
      feedback('R-2', '2026-04-04T09:01:00Z'), // too late
      ev.submit('R-3', 'P-2', '2026-04-02T09:00:00Z'),
      feedback('R-3', '2026-04-02T10:00:00Z'), // undecided
      ev.submit('R-4', 'K-1', '2026-04-02T09:00:00Z'),
      accepted('R-4', '2026-04-02T10:00:00Z'), // customer program: acceptance only
      ev.submit('R-5', 'P-2', '2026-04-02T09:00:00Z'),
      accepted('R-5', '2026-04-02T10:00:00Z'),
    ];
    const k = kpis(lines);
    expect(k.registrationQuality.value).toBeCloseTo(1 / 4, 12); // R-1 of
    expect(k.referralAcceptanceRate.value).toBe(0.75); // accepted; R-2 rejected
    expect(k.referralAcceptanceRate.met).toBe(true);
  });

  it('partner scope: its own referrals, and its own sourced revenue over all revenue', () => {
    const lines = [
      ...partners,
      opp('O-1', '2026-03-01T00:00:00Z', 100000),
      won('O-1', '2026-04-10T00:00:00Z', 100000),
      opp('O-2', '2026-03-01T00:00:00Z', 300000),
      won('O-2', '2026-04-10T00:00:00Z', 300000),
      ev.submit('R-1', 'P-1', '2026-04-02T09:00:00Z'),
      accepted('R-1', '2026-04-02T10:00:00Z'),
      ev.submit('R-2', 'P-2', '2026-04-02T09:00:00Z'),
      rejected('R-2', '2026-04-02T10:00:00Z'),
    ];
    const k = kpis(lines, { 'O-1': 'P-1', 'O-2': 'P-2' }, { partnerId: 'P-1' });
    expect(k.partnerSourcedRevenueShare.value).toBe(0.25);
    expect(k.referralAcceptanceRate.value).toBe(1);
    expect(k.activeReferrerShare.value).toBe(1);
  });
});
