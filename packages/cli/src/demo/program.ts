import { Random } from './random.ts';

/** A command in the shared shape (`{type, data, metadata}`), as the facade takes it. */
export interface DemoCommand {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: {
    readonly occurredAt: string;
    readonly actor?: { kind: 'partner' | 'user' | 'system'; id: string };
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PARTNERS = [
  ['P-NW', 'Northwind Consulting', 'gold', 'northwind-consulting.example', 'USD'],
  ['P-BL', 'Bluepeak Systems', 'gold', 'bluepeak.example', 'USD'],
  ['P-HA', 'Harbor Analytics', 'gold', 'harbor-analytics.example', 'EUR'],
  ['P-CR', 'Cirrus Partners', 'silver', 'cirrus-partners.example', 'USD'],
  ['P-EV', 'Evergreen Advisory', 'silver', 'evergreen-advisory.example', 'GBP'],
  ['P-LU', 'Lumen Integrations', 'silver', 'lumen-integrations.example', 'USD'],
  ['P-QU', 'Quarry Labs', 'silver', 'quarry-labs.example', 'USD'],
  ['P-ME', 'Meridian Resellers', 'bronze', 'meridian-resellers.example', 'USD'],
  ['P-OT', 'Otter & Co', 'bronze', 'otter-co.example', 'USD'],
  ['P-PI', 'Pinecone Digital', 'bronze', 'pinecone-digital.example', 'EUR'],
  ['P-SA', 'Saltmarsh Group', 'bronze', 'saltmarsh.example', 'USD'],
  ['P-VA', 'Vantage Point IT', 'bronze', 'vantage-point.example', 'USD'],
] as const;
const CUSTOMERS = [
  ['C-AC', 'Acorn Foods', '2024-03-01T00:00:00Z'],
  ['C-BR', 'Brightline Logistics', '2023-09-15T00:00:00Z'],
  ['C-CO', 'Copperleaf Health', '2025-11-01T00:00:00Z'],
  ['C-DU', 'Dune Outfitters', '2024-06-10T00:00:00Z'],
] as const;
const EMPLOYEES = [
  ['E-AL', 'Alex Kim'],
  ['E-SA', 'Sam Rivera'],
  ['E-JO', 'Jo Novak'],
] as const;
const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Eli',
  'Fatima',
  'Gus',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mo',
  'Nia',
  'Omar',
  'Pia',
];
const LAST = [
  'Garcia',
  'Chen',
  'Okafor',
  'Müller',
  'Santos',
  'Ivanova',
  'Kowalski',
  'Nguyen',
  'Haddad',
  'Larsen',
];
const WORDS = [
  'Atlas',
  'Beacon',
  'Cobalt',
  'Delta',
  'Ember',
  'Fable',
  'Granite',
  'Helix',
  'Indigo',
  'Juniper',
  'Kestrel',
  'Lattice',
  'Mosaic',
  'Nimbus',
  'Orbit',
  'Prism',
  'Quill',
  'Rune',
  'Summit',
  'Tundra',
];
const SUFFIX = [
  'Robotics',
  'Health',
  'Retail',
  'Energy',
  'Finance',
  'Foods',
  'Media',
  'Labs',
  'Logistics',
  'Software',
];
const REPS = ['rep-ava', 'rep-ben', 'rep-cruz', 'rep-dana'];
const MANAGERS = ['pm-erin', 'pm-faye'];

/** The demo's first rule set (published 1 January) and the what-if rule set of the diff. */
export const DEMO_RULES_V1 = {
  version: '2026-01',
  effectiveFrom: '2026-01-01T00:00:00Z',
  currency: 'USD',
  registration: { protectionDays: 60, excludedDomains: ['competitor.example'] },
  fit: { requiredLeadFields: ['phone'], minEstimatedValue: 1000000 },
  attribution: { model: 'first-to-register' },
  commission: { holdDays: 30, clawbackDays: 90, partnerReferral: { rateBps: 1000, months: 12 } },
};
export const DEMO_RULES_V2 = {
  ...DEMO_RULES_V1,
  version: '2026-07',
  effectiveFrom: '2026-07-01T00:00:00Z',
  attribution: { model: 'multi-touch', sourcedShare: 0.6, halfLifeDays: 14 },
  commission: {
    ...DEMO_RULES_V1.commission,
    rates: { sourced: { bronze: 1200, silver: 1600, gold: 2200 } },
  },
};

/**
 * A year of a realistic referral programme, as commands: partners of every program and
 * tier, a few hundred referrals through every path (duplicates, flags, rejections with
 * explanations, withdrawals, conversions, wins, losses, refunds, disputes), approvals and
 * payouts, overlaps, shared leads, consent, customer advocacy and FX rates. Deterministic.
 */
export function demoProgram(
  options: { seed?: number; referrals?: number; until?: number } = {},
): DemoCommand[] {
  const rnd = new Random(options.seed ?? 20260101);
  const until = options.until ?? Date.parse('2026-11-20T00:00:00Z');
  const out: { at: number; seq: number; cmd: DemoCommand }[] = [];
  let seq = 0;
  const add = (
    at: number,
    type: string,
    data: Record<string, unknown>,
    actor?: DemoCommand['metadata']['actor'],
  ) => {
    if (at > until) return false;
    out.push({
      at,
      seq: seq++,
      cmd: { type, data, metadata: { occurredAt: new Date(at).toISOString(), ...(actor ? { actor } : {}) } },
    });
    return true;
  };
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  add(t0 - DAY, 'PublishRuleSet', {
    version: DEMO_RULES_V1.version,
    effectiveFrom: DEMO_RULES_V1.effectiveFrom,
    rules: DEMO_RULES_V1,
  });
  add(t0 - DAY, 'RecordFxRate', { base: 'USD', quote: 'EUR', rate: '0.92', source: 'ecb' });
  add(t0 - DAY, 'RecordFxRate', { base: 'USD', quote: 'GBP', rate: '0.79', source: 'ecb' });
  add(Date.parse('2026-06-01T00:00:00Z'), 'RecordFxRate', {
    base: 'USD',
    quote: 'EUR',
    rate: '0.9',
    source: 'ecb',
  });

  const partnerIds: string[] = [];
  const partnerDomain = new Map<string, string>();
  PARTNERS.forEach(([id, name, tier, domain, currency], i) => {
    partnerIds.push(id);
    partnerDomain.set(id, domain);
    add(t0 - 30 * DAY + i * HOUR, 'EnrollPartner', {
      partnerId: id,
      name,
      program: 'partner',
      tier,
      contactEmail: `alliances@${domain}`,
      payoutCurrency: currency,
      managerId: MANAGERS[i % 2],
      domain,
      ...(id === 'P-SA' ? { referredBy: 'P-NW' } : {}),
    });
    add(t0 - 20 * DAY + i * HOUR, 'SetPartnerSharing', {
      partnerId: id,
      leadFields:
        i % 3 === 0
          ? ['company', 'website', 'estimatedValue']
          : ['firstName', 'lastName', 'email', 'company', 'title'],
      overlapRelationships: i % 2 === 0 ? ['customer', 'opportunity'] : ['prospect'],
      setBy: MANAGERS[i % 2],
    });
  });
  for (const [id, name, since] of CUSTOMERS) {
    partnerIds.push(id);
    add(t0 - 30 * DAY, 'EnrollPartner', {
      partnerId: id,
      name,
      program: 'customer',
      tier: 'bronze',
      contactEmail: `champion@${id.toLowerCase()}.customer.example`,
      payoutCurrency: 'USD',
      customerSince: since,
    });
  }
  for (const [id, name] of EMPLOYEES) {
    partnerIds.push(id);
    add(t0 - 30 * DAY, 'EnrollPartner', {
      partnerId: id,
      name,
      program: 'employee',
      tier: 'bronze',
      contactEmail: `${name.split(' ')[0]!.toLowerCase()}@ourco.example`,
      payoutCurrency: 'USD',
    });
  }
  add(Date.parse('2026-05-01T00:00:00Z'), 'ChangePartnerTier', {
    partnerId: 'P-CR',
    tier: 'gold',
    reason: 'QBR: 12 sourced deals',
  });
  add(Date.parse('2026-09-15T00:00:00Z'), 'OffboardPartner', { partnerId: 'P-VA', reason: 'Contract ended' });

  // Leads: a pool of companies so some are referred twice (duplicates) by different partners.
  const companies = Array.from({ length: 220 }, (_, i) => {
    const name = `${WORDS[i % WORDS.length]} ${SUFFIX[Math.floor(i / WORDS.length) % SUFFIX.length]}`;
    return { name, domain: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example` };
  });
  const referrers = partnerIds.filter((p) => p !== 'P-VA');
  const total = options.referrals ?? 260;
  let oppN = 0;
  let disputeN = 0;
  const won: { opp: string; at: number; partner: string; value: number }[] = [];
  for (let i = 1; i <= total; i++) {
    const referralId = `R-${String(i).padStart(4, '0')}`;
    const partnerId = rnd.chance(0.82) ? rnd.pick(referrers.slice(0, 11)) : rnd.pick(referrers);
    const company = rnd.chance(0.12)
      ? rnd.pick(companies.slice(0, 25))
      : companies[(i * 7) % companies.length]!;
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    const submittedAt = t0 + Math.floor(((i - 1) / total) * 300 * DAY) + rnd.int(0, 20) * HOUR;
    const selfReferral = rnd.chance(0.02);
    const excluded = !selfReferral && rnd.chance(0.02);
    const domain = selfReferral
      ? (partnerDomain.get(partnerId) ?? company.domain)
      : excluded
        ? 'competitor.example'
        : company.domain;
    const estimate = rnd.chance(0.8) ? rnd.int(5, 200) * 100000 : undefined;
    add(
      submittedAt,
      'SubmitReferral',
      {
        referralId,
        partnerId,
        channel: rnd.pick(['form', 'portal', 'email', 'api', 'crm', 'slack']),
        submittedBy: `${partnerId.toLowerCase()}-user`,
        lead: {
          firstName: first,
          lastName: last,
          email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${domain}`,
          company: company.name,
          ...(rnd.chance(0.92) ? { phone: `+1 555 01${String(i % 100).padStart(2, '0')}` } : {}),
          ...(rnd.chance(0.6) ? { title: rnd.pick(['CTO', 'VP Sales', 'Head of Ops', 'CFO']) } : {}),
          ...(rnd.chance(0.5) ? { website: `https://www.${domain}` } : {}),
          ...(estimate ? { estimatedValue: { amount: estimate, currency: 'USD' } } : {}),
          timeline: rnd.pick(['this quarter', 'next quarter', '6 months']),
          useCase: rnd.pick(['partner attribution', 'commission automation', 'referral intake']),
        },
      },
      { kind: 'partner', id: partnerId },
    );
    const manager = rnd.pick(MANAGERS);
    const rep = rnd.pick(REPS);
    const decideAt = submittedAt + (rnd.chance(0.85) ? rnd.int(10, 150) * 60_000 : rnd.int(3, 30) * HOUR);
    const roll = rnd.next();
    if (roll < 0.05) {
      add(decideAt, 'WithdrawReferral', { referralId, reason: 'Partner withdrew: lead went silent' });
      continue;
    }
    if (roll < 0.12 || excluded || selfReferral) {
      add(decideAt, 'RejectReferral', {
        referralId,
        reason: excluded ? 'competitor' : selfReferral ? 'self-referral' : 'not a fit',
        partnerExplanation: excluded
          ? 'This company is a competitor; we cannot engage.'
          : selfReferral
            ? 'Referrals of your own company are not eligible.'
            : 'Outside our target segment for now; thank you for thinking of us.',
        approvedBy: manager,
      });
      add(decideAt + rnd.int(2, 80) * HOUR, 'SendPartnerFeedback', {
        referralId,
        sentBy: manager,
        message: 'Declined, see explanation',
      });
      continue;
    }
    if (roll < 0.18 && submittedAt > until - 25 * DAY) continue; // still waiting for a decision
    add(decideAt, 'AcceptReferral', {
      referralId,
      salesOwnerId: rep,
      feedbackOwnerId: manager,
      approvedBy: manager,
    });
    const contactedAt = submittedAt + (rnd.chance(0.7) ? rnd.int(30, 230) * 60_000 : rnd.int(5, 40) * HOUR);
    add(Math.max(contactedAt, decideAt + 5 * 60_000), 'RecordReferralContact', {
      referralId,
      contactedBy: rep,
      channel: 'phone',
    });
    add(submittedAt + rnd.int(6, 70) * HOUR, 'SendPartnerFeedback', {
      referralId,
      sentBy: manager,
      message: 'Accepted; our rep is in touch.',
    });
    if (rnd.chance(0.1)) {
      add(decideAt + 2 * DAY, 'ChangeReferralOwner', {
        referralId,
        salesOwnerId: rnd.pick(REPS),
        changedBy: manager,
      });
    }
    if (!rnd.chance(0.65)) {
      // Leads that go nowhere are mostly closed out by the partner; the rest go stale.
      if (rnd.chance(0.7))
        add(submittedAt + rnd.int(10, 30) * DAY, 'WithdrawReferral', {
          referralId,
          reason: 'No budget this year',
        });
      continue;
    }
    const qualifiedAt = submittedAt + rnd.int(3, 12) * DAY;
    add(qualifiedAt, 'QualifyReferral', { referralId });
    if (!rnd.chance(0.75)) {
      if (rnd.chance(0.6))
        add(qualifiedAt + rnd.int(10, 30) * DAY, 'WithdrawReferral', { referralId, reason: 'Chose to wait' });
      continue;
    }
    oppN += 1;
    const opportunityId = `O-${String(oppN).padStart(4, '0')}`;
    const openedAt = qualifiedAt + rnd.int(1, 5) * DAY;
    const value = rnd.int(8, 150) * 100000;
    const segment = value >= 10000000 ? 'enterprise' : 'mid-market';
    const opened = add(openedAt, 'OpenOpportunity', {
      opportunityId,
      accountDomain: company.domain,
      accountName: company.name,
      value: { amount: value, currency: 'USD' },
      ownerId: rep,
      contactEmails: [
        `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${company.domain}`,
      ],
      attributes: { segment, region: rnd.pick(['NA', 'EMEA', 'APAC']) },
    });
    if (!opened) continue;
    add(openedAt + 60_000, 'ConvertReferral', { referralId, opportunityId });
    add(openedAt + 2 * DAY, 'SendPartnerFeedback', {
      referralId,
      sentBy: manager,
      message: 'Converted to an opportunity.',
    });
    if (rnd.chance(0.35)) {
      add(openedAt + rnd.int(2, 20) * DAY, 'RecordTouchpoint', {
        opportunityId,
        partyId: rnd.pick(referrers.slice(0, 11)),
        kind: rnd.chance(0.2) ? 'resold' : 'influenced',
        activity: rnd.pick(['joint demo', 'reference call', 'co-marketing webinar']),
      });
    }
    if (rnd.chance(0.3))
      add(openedAt + rnd.int(1, 10) * DAY, 'RecordTouchpoint', {
        opportunityId,
        partyId: 'house',
        kind: 'influenced',
        activity: 'marketing email',
      });
    if (rnd.chance(0.2))
      add(openedAt + 10 * DAY, 'ChangeOpportunityValue', {
        opportunityId,
        value: { amount: Math.round(value * 1.2), currency: 'USD' },
      });
    const closeAt = openedAt + rnd.int(15, 60) * DAY;
    const outcome = rnd.next();
    if (outcome < 0.62) {
      const wonValue = Math.round(value * (rnd.chance(0.2) ? 1.2 : 1));
      const contractMonths = rnd.chance(0.25) ? 24 : 12;
      if (
        !add(closeAt, 'WinOpportunity', {
          opportunityId,
          value: { amount: wonValue, currency: 'USD' },
          contractMonths,
        })
      )
        continue;
      add(closeAt + DAY, 'SendPartnerFeedback', {
        referralId,
        sentBy: manager,
        message: 'Closed won — thank you!',
      });
      won.push({ opp: opportunityId, at: closeAt, partner: partnerId, value: wonValue });
      if (rnd.chance(0.08)) {
        add(closeAt + rnd.int(20, 120) * DAY, 'ReverseRevenue', {
          opportunityId,
          value: { amount: Math.round(wonValue / 4), currency: 'USD' },
          reason: 'refund',
        });
      }
      if (rnd.chance(0.1)) {
        disputeN += 1;
        const disputeId = `D-${String(disputeN).padStart(3, '0')}`;
        const claimant = rnd.pick(referrers.slice(0, 11).filter((p) => p !== partnerId));
        add(closeAt + 3 * DAY, 'DisputeAttribution', {
          disputeId,
          opportunityId,
          claimantPartnerId: claimant,
          claim: 'We introduced this account at an event in spring.',
        });
        const decision = rnd.pick(['split', 'rejected', 'upheld', 'open']);
        if (decision === 'split') {
          add(closeAt + 12 * DAY, 'ResolveDispute', {
            disputeId,
            opportunityId,
            decision: 'split',
            decidedBy: manager,
            rationale: 'Both partners evidenced early contact.',
            credits: [
              { partyId: partnerId, share: 0.7, kind: 'sourced' },
              { partyId: claimant, share: 0.3, kind: 'influenced' },
            ],
          });
        } else if (decision === 'upheld') {
          add(closeAt + 12 * DAY, 'ResolveDispute', {
            disputeId,
            opportunityId,
            decision: 'upheld',
            decidedBy: manager,
            rationale: 'Claimant registered the account first in the CRM.',
            credits: [{ partyId: claimant, share: 1, kind: 'sourced' }],
          });
        } else if (decision === 'rejected') {
          add(closeAt + 12 * DAY, 'ResolveDispute', {
            disputeId,
            opportunityId,
            decision: 'rejected',
            decidedBy: manager,
            rationale: 'No evidence of an introduction.',
          });
        }
      }
    } else if (outcome < 0.9) {
      add(closeAt, 'LoseOpportunity', {
        opportunityId,
        reason: rnd.pick(['price', 'timing', 'competitor', 'no budget']),
      });
      add(closeAt + DAY, 'SendPartnerFeedback', {
        referralId,
        sentBy: manager,
        message: 'Closed lost — timing.',
      });
      if (rnd.chance(0.1))
        add(closeAt + 20 * DAY, 'ReopenOpportunity', { opportunityId, reason: 'Budget freed up' });
    }
  }
  // Direct deals the house sourced itself.
  for (let k = 0; k < 30; k++) {
    oppN += 1;
    const opportunityId = `O-${String(oppN).padStart(4, '0')}`;
    const company = companies[200 + (k % 20)]!;
    const openedAt = t0 + rnd.int(0, 280) * DAY;
    const value = rnd.int(10, 90) * 100000;
    add(openedAt, 'OpenOpportunity', {
      opportunityId,
      accountDomain: company.domain,
      accountName: company.name,
      value: { amount: value, currency: 'USD' },
      ownerId: rnd.pick(REPS),
    });
    if (rnd.chance(0.6))
      add(openedAt + rnd.int(20, 50) * DAY, 'WinOpportunity', {
        opportunityId,
        value: { amount: value, currency: 'USD' },
      });
    else if (rnd.chance(0.5))
      add(openedAt + rnd.int(20, 50) * DAY, 'LoseOpportunity', { opportunityId, reason: 'price' });
  }
  // Overlaps from an account-mapping import.
  companies.slice(0, 12).forEach((c, k) => {
    add(t0 + (40 + k) * DAY, 'RecordAccountOverlap', {
      partnerId: PARTNERS[k % PARTNERS.length]![0],
      accountDomain: c.domain,
      ourRelationship: rnd.pick(['customer', 'prospect', 'opportunity', 'none']),
      partnerRelationship: rnd.pick(['customer', 'prospect', 'opportunity']),
      source: k % 2 === 0 ? 'crossbeam' : 'reveal',
    });
  });
  // Leads we share with partners, and how they answer.
  for (let k = 1; k <= 24; k++) {
    const shareId = `S-${String(k).padStart(3, '0')}`;
    const partnerId = PARTNERS[k % 11]![0];
    const company = companies[150 + k]!;
    const at = t0 + (20 + k * 11) * DAY;
    add(at, 'ShareLead', {
      shareId,
      partnerId,
      accountDomain: company.domain,
      lead: {
        firstName: rnd.pick(FIRST),
        lastName: rnd.pick(LAST),
        email: `buyer@${company.domain}`,
        company: company.name,
        website: `https://${company.domain}`,
        estimatedValue: { amount: rnd.int(10, 80) * 100000, currency: 'USD' },
      },
      reason: 'Needs an implementation partner in their region',
      sharedBy: rnd.pick(MANAGERS),
    });
    if (rnd.chance(0.85)) {
      const accepted = rnd.chance(0.7);
      add(at + rnd.int(2, 72) * HOUR, 'RespondToSharedLead', {
        shareId,
        response: accepted ? 'accepted' : 'declined',
        ...(accepted ? {} : { reason: 'No capacity' }),
      });
      if (accepted && rnd.chance(0.7)) {
        add(at + 10 * DAY, 'RecordSharedLeadOutcome', { shareId, outcome: 'contacted' });
        const o = rnd.next();
        if (o < 0.45)
          add(at + 40 * DAY, 'RecordSharedLeadOutcome', {
            shareId,
            outcome: 'won',
            value: { amount: rnd.int(10, 80) * 100000, currency: 'USD' },
          });
        else if (o < 0.7) add(at + 40 * DAY, 'RecordSharedLeadOutcome', { shareId, outcome: 'lost' });
      }
    }
  }
  // Customer advocacy: promoter signals, asks and follow-ups; a detractor in the quiet period.
  const adv = (id: string, at: string, signal: string, score?: number) =>
    add(Date.parse(at), 'RecordAdvocacySignal', {
      partnerId: id,
      signal,
      ...(score !== undefined ? { score } : {}),
    });
  adv('C-AC', '2026-11-19T15:00:00Z', 'nps', 10);
  adv('C-BR', '2026-10-20T09:00:00Z', 'qbr');
  add(Date.parse('2026-10-21T09:00:00Z'), 'SendReferralRequest', {
    partnerId: 'C-BR',
    requestId: 'Q-001',
    step: 'ask',
    channel: 'email',
  });
  adv('C-CO', '2026-11-17T09:00:00Z', 'roi');
  adv('C-DU', '2026-11-01T09:00:00Z', 'support-issue');
  adv('C-DU', '2026-11-12T09:00:00Z', 'nps', 9);
  return out.sort((a, b) => a.at - b.at || a.seq - b.seq).map((x) => x.cmd);
}
