import type { RuleSet } from './schema.ts';

/**
 * Every default of SPEC §4. A rule set that omits a field takes the value here; objects
 * merge key by key; arrays and `null` replace.
 */
export const DEFAULT_RULES: RuleSet = {
  version: 'default',
  effectiveFrom: '1970-01-01T00:00:00Z',
  currency: 'USD',
  registration: {
    protectionDays: 60,
    matchOn: ['email', 'domain'],
    freeMailDomains: ['gmail.com', 'outlook.com'],
    excludedDomains: [],
  },
  fit: { requiredLeadFields: [], minEstimatedValue: 0 },
  attribution: { model: 'first-to-register', halfLifeDays: 7, lookbackDays: 90, sourcedShare: 0.4 },
  commission: {
    rates: {
      sourced: { bronze: 1000, silver: 1500, gold: 2000 },
      influenced: { bronze: 500, silver: 500, gold: 500 },
      resold: { bronze: 1000, silver: 1500, gold: 2000 },
    },
    recurring: null,
    conditions: [],
    limits: [],
    partnerReferral: null,
    rewards: {
      customer: [{ minDealValue: 0, reward: 50000 }],
      employee: [{ minDealValue: 0, reward: 50000 }],
    },
    minDealValue: 0,
    capPerDeal: null,
    holdDays: 30,
    clawbackDays: 90,
  },
  tiers: { mode: 'manual', silverDeals: 3, goldDeals: 10, windowDays: 365 },
  sla: { firstContactHours: 4, feedbackHours: 48, staleAfterDays: 7, businessHours: null },
  requests: {
    promoterMinScore: 9,
    askWindowDays: 7,
    askWithinHours: 24,
    followUpDays: 7,
    alternativeAskDays: 14,
    maxPerQuarter: 3,
    quietDays: 30,
    minTenureDays: 180,
  },
  kpis: {
    partnerSourcedRevenueShare: 0.2,
    referralWinRate: 0.4,
    medianFirstContactMinutes: 240,
    activeReferrerShare: 0.5,
    registrationQuality: 0.9,
    referralAcceptanceRate: 0.7,
  },
};
