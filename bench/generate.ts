/**
 * A deterministic generator of a realistic referral-programme log (seeded PRNG): hundreds
 * of partners, referrals going through intake, opportunities with touches, wins and
 * losses, value changes, refunds, disputes and their resolutions, commission approvals,
 * payouts and exchange rates. The same seed and size always give the same bytes.
 */

/** mulberry32: a small, fast, seeded PRNG (deterministic across platforms). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  readonly events: number;
  readonly seed?: number;
  readonly partners?: number;
}

const START = Date.parse('2024-01-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * Yield NDJSON lines (without newline), exactly `options.events` of them, with `revision`
 * and `position` like an export.
 */
export function* generateLog(options: GenerateOptions): Generator<string> {
  const rnd = prng(options.seed ?? 42);
  const total = options.events;
  const partnerCount = options.partners ?? 400;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const revisions = new Map<string, number>();
  let position = 0;
  const line = (streamId: string, type: string, data: unknown, at: number): string => {
    position += 1;
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const eventId = `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`;
    const occurredAt = new Date(at).toISOString();
    return JSON.stringify({
      streamId,
      type,
      data,
      metadata: { eventId, occurredAt, recordedAt: occurredAt },
      revision,
      position,
    });
  };

  // Rules, rates and partners first.
  yield line(
    'rules',
    'RuleSetPublished',
    {
      version: 'bench-1',
      effectiveFrom: '2023-01-01T00:00:00Z',
      rules: { attribution: { model: 'multi-touch', sourcedShare: 0.5 } },
    },
    START - DAY,
  );
  yield line(
    'fx',
    'FxRateRecorded',
    { base: 'EUR', quote: 'USD', rate: '1.0850', source: 'ecb' },
    START - DAY,
  );
  yield line(
    'fx',
    'FxRateRecorded',
    { base: 'GBP', quote: 'USD', rate: '1.2710', source: 'ecb' },
    START - DAY,
  );
  const partners: { id: string; program: string }[] = [];
  for (let p = 1; p <= partnerCount; p++) {
    const id = `P-${p}`;
    const r = rnd();
    const program = r < 0.85 ? 'partner' : r < 0.95 ? 'customer' : 'employee';
    partners.push({ id, program });
    yield line(
      `partner-${id}`,
      'PartnerEnrolled',
      {
        partnerId: id,
        name: `Partner ${p}`,
        program,
        tier: pick(['bronze', 'bronze', 'silver', 'gold'] as const),
        contactEmail: `team@partner-${p}.example`,
        payoutCurrency: rnd() < 0.8 ? 'USD' : rnd() < 0.75 ? 'EUR' : 'GBP',
        domain: `partner-${p}.example`,
        ...(program === 'customer' ? { customerSince: new Date(START - 400 * DAY).toISOString() } : {}),
      },
      START - DAY + p,
    );
  }
  let emitted = position;
  const pending: string[] = [];

  let cycle = 0;
  let t = START;
  const won: { opp: string; partner: string; amount: number; currency: string }[] = [];
  const ev = (streamId: string, type: string, data: unknown, at: number) => {
    pending.push(line(streamId, type, data, at));
  };
  while (emitted < total) {
    cycle += 1;
    t += Math.floor(4 * MIN + rnd() * 8 * MIN);
    const partner = pick(partners);
    const rid = `R-${cycle}`;
    const rs = `referral-${rid}`;
    // A few referrals name the same company as a recent one (duplicates and conflicts).
    const company = rnd() < 0.04 && cycle > 10 ? cycle - 1 - Math.floor(rnd() * 10) : cycle;
    const domain = `co-${company}.example`;
    ev(
      rs,
      'ReferralSubmitted',
      {
        referralId: rid,
        partnerId: partner.id,
        channel: pick(['form', 'portal', 'email', 'api', 'crm'] as const),
        lead: {
          firstName: 'Alex',
          lastName: `Lead${cycle}`,
          email: `alex.${cycle}@${domain}`,
          company: `Company ${company}`,
          website: `https://www.${domain}`,
          estimatedValue: { amount: 100_000 * (1 + Math.floor(rnd() * 100)), currency: 'USD' },
        },
      },
      t,
    );
    const r = rnd();
    if (r < 0.08) {
      ev(
        rs,
        'ReferralRejected',
        {
          referralId: rid,
          reason: 'not a fit',
          partnerExplanation: 'Outside our segment',
          approvedBy: 'pm-1',
        },
        t + 3 * HOUR,
      );
      ev(
        rs,
        'PartnerFeedbackSent',
        { referralId: rid, sentBy: 'pm-1', message: 'Thanks, not a fit' },
        t + 4 * HOUR,
      );
    } else if (r < 0.12) {
      ev(rs, 'ReferralWithdrawn', { referralId: rid, reason: 'lead went elsewhere' }, t + DAY);
    } else {
      ev(
        rs,
        'ReferralAccepted',
        {
          referralId: rid,
          salesOwnerId: `rep-${1 + (cycle % 40)}`,
          feedbackOwnerId: 'pm-1',
          approvedBy: 'pm-1',
        },
        t + 2 * HOUR,
      );
      ev(rs, 'ReferralContacted', { referralId: rid, contactedBy: `rep-${1 + (cycle % 40)}` }, t + 3 * HOUR);
      ev(rs, 'PartnerFeedbackSent', { referralId: rid, sentBy: 'pm-1', message: 'Contacted' }, t + 5 * HOUR);
      if (rnd() < 0.75) {
        const oid = `O-${cycle}`;
        const os = `opportunity-${oid}`;
        const currency = rnd() < 0.9 ? 'USD' : 'EUR';
        let amount = 500_000 * (1 + Math.floor(rnd() * 60));
        ev(rs, 'ReferralQualified', { referralId: rid }, t + 2 * DAY);
        ev(
          os,
          'OpportunityOpened',
          {
            opportunityId: oid,
            accountDomain: domain,
            accountName: `Company ${company}`,
            value: { amount, currency },
            ownerId: `rep-${1 + (cycle % 40)}`,
          },
          t + 3 * DAY,
        );
        ev(rs, 'ReferralConverted', { referralId: rid, opportunityId: oid }, t + 3 * DAY);
        const touches = Math.floor(rnd() * 3);
        for (let k = 0; k < touches; k++) {
          const other = rnd() < 0.5 ? 'house' : pick(partners).id;
          ev(
            os,
            'TouchpointRecorded',
            {
              opportunityId: oid,
              partyId: other,
              kind: rnd() < 0.2 ? 'resold' : 'influenced',
              activity: 'meeting',
            },
            t + (4 + k * 5) * DAY,
          );
        }
        if (rnd() < 0.2) {
          amount += 250_000;
          ev(
            os,
            'OpportunityValueChanged',
            { opportunityId: oid, value: { amount, currency } },
            t + 20 * DAY,
          );
        }
        const closeAt = t + (30 + Math.floor(rnd() * 60)) * DAY;
        if (rnd() < 0.55) {
          ev(os, 'OpportunityWon', { opportunityId: oid, value: { amount, currency } }, closeAt);
          won.push({ opp: oid, partner: partner.id, amount, currency });
          if (rnd() < 0.03)
            ev(
              os,
              'RevenueReversed',
              { opportunityId: oid, value: { amount: Math.floor(amount / 4), currency }, reason: 'refund' },
              closeAt + 20 * DAY,
            );
          if (rnd() < 0.02) {
            const did = `D-${cycle}`;
            const claimant = pick(partners).id;
            ev(
              `dispute-${did}`,
              'AttributionDisputed',
              {
                disputeId: did,
                opportunityId: oid,
                claimantPartnerId: claimant,
                claim: 'we introduced them',
              },
              closeAt + 2 * DAY,
            );
            if (rnd() < 0.7)
              ev(
                `dispute-${did}`,
                'DisputeResolved',
                {
                  disputeId: did,
                  opportunityId: oid,
                  decision: 'split',
                  decidedBy: 'pm-1',
                  rationale: 'both contributed',
                  credits: [
                    { partyId: partner.id, share: 0.5 },
                    ...(claimant === partner.id ? [] : [{ partyId: claimant, share: 0.5 }]),
                  ].map((c, _i, all) => ({ ...c, share: 1 / all.length })),
                },
                closeAt + 9 * DAY,
              );
          } else if (rnd() < 0.5 && partner.program === 'partner') {
            ev(
              `commission-${oid}`,
              'CommissionApproved',
              {
                opportunityId: oid,
                partnerId: partner.id,
                amount: { amount: Math.round(amount * 0.1), currency: 'USD' },
                approvedBy: 'finance-1',
              },
              closeAt + 5 * DAY,
            );
          }
        } else {
          ev(os, 'OpportunityLost', { opportunityId: oid, reason: 'no budget' }, closeAt);
        }
      }
    }
    // Direct deals the house sourced, some with partner influence.
    if (cycle % 3 === 0) {
      const oid = `O-D${cycle}`;
      const os = `opportunity-${oid}`;
      const amount = 300_000 * (1 + Math.floor(rnd() * 40));
      ev(
        os,
        'OpportunityOpened',
        {
          opportunityId: oid,
          accountDomain: `direct-${cycle}.example`,
          accountName: `Direct ${cycle}`,
          value: { amount, currency: 'USD' },
          ownerId: 'rep-1',
        },
        t,
      );
      ev(
        os,
        'TouchpointRecorded',
        { opportunityId: oid, partyId: pick(partners).id, kind: 'influenced', activity: 'event' },
        t + 6 * DAY,
      );
      if (rnd() < 0.5)
        ev(os, 'OpportunityWon', { opportunityId: oid, value: { amount, currency: 'USD' } }, t + 45 * DAY);
      else ev(os, 'OpportunityLost', { opportunityId: oid, reason: 'chose a competitor' }, t + 45 * DAY);
    }
    // Monthly-ish: payouts to a handful of partners, and a refreshed exchange rate.
    if (cycle % 4000 === 0) {
      ev(
        'fx',
        'FxRateRecorded',
        { base: 'EUR', quote: 'USD', rate: (1.05 + rnd() * 0.06).toFixed(4), source: 'ecb' },
        t,
      );
      for (let k = 0; k < 10 && won.length > 0; k++) {
        const w = won[Math.floor(rnd() * won.length)]!;
        const pid = `PO-${cycle}-${k}`;
        const pay = { amount: Math.round(w.amount * 0.05), currency: 'USD' };
        ev(
          `payout-${pid}`,
          'PayoutScheduled',
          {
            payoutId: pid,
            partnerId: w.partner,
            amount: pay,
            lines: [{ opportunityId: w.opp, amount: pay }],
            provider: 'manual',
          },
          t,
        );
        ev(`payout-${pid}`, 'PayoutSent', { payoutId: pid, providerReference: `ref-${pid}` }, t + HOUR);
      }
    }
    for (const text of pending) {
      if (emitted >= total) break;
      emitted += 1;
      yield text;
    }
    pending.length = 0;
  }
}
