import { z } from 'zod';
import { CurrencyCode } from '../money/money.ts';

const Bps = z.number().int().min(0);
const Amount = z.number().int('must be an integer amount of minor units').min(0);
const TierRates = z.object({ bronze: Bps, silver: Bps, gold: Bps });

/** One comparison in a condition group (SPEC §6.2). */
export interface ConditionLeaf {
  readonly field: string;
  readonly op: 'eq' | 'neq' | 'in' | 'notIn' | 'gt' | 'gte' | 'lt' | 'lte';
  readonly value: unknown;
}
/** `{all: [...]}` or `{any: [...]}` of comparisons, nestable. */
export type ConditionGroup =
  | { readonly all: readonly ConditionNode[] }
  | { readonly any: readonly ConditionNode[] };
export type ConditionNode = ConditionLeaf | ConditionGroup;

export const ConditionFieldPattern =
  /^(partner\.(id|program|tier)|credit\.kind|deal\.(value|currency|contractMonths|accountDomain)|deal\.attributes\..+)$/;

const ConditionLeafSchema = z.object({
  field: z
    .string()
    .regex(
      ConditionFieldPattern,
      'must be one of partner.id|program|tier, credit.kind, deal.value|currency|contractMonths|accountDomain, deal.attributes.<key>',
    ),
  op: z.enum(['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte']),
  value: z.unknown(),
});
export const ConditionNodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionNodeSchema) }).strict(),
    z.object({ any: z.array(ConditionNodeSchema) }).strict(),
    ConditionLeafSchema,
  ]),
);
export const ConditionGroupSchema = z.union([
  z.object({ all: z.array(ConditionNodeSchema) }).strict(),
  z.object({ any: z.array(ConditionNodeSchema) }).strict(),
]);

export const CommissionCondition = z.object({
  name: z.string().min(1),
  when: ConditionGroupSchema,
  then: z.union([
    z.object({ rateBps: Bps, reason: z.string().min(1) }).strict(),
    z.object({ rateBps: Bps }).strict(),
    z.object({ flat: Amount }).strict(),
  ]),
});
export type CommissionCondition = z.infer<typeof CommissionCondition>;

export const CommissionLimit = z.object({
  scope: z.literal('partner'),
  interval: z.enum(['month', 'quarter', 'year', 'all']),
  amount: Amount,
});
export type CommissionLimit = z.infer<typeof CommissionLimit>;

const RewardBand = z.object({ minDealValue: Amount, reward: Amount });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as "09:00"');
export const BusinessHours = z.object({
  timeZone: z.string().min(1),
  days: z.array(z.number().int().min(1).max(7)).min(1),
  start: HHMM,
  end: HHMM,
});
export type BusinessHours = z.infer<typeof BusinessHours>;

/** The complete, validated rule set (SPEC §4) after defaults were merged in. */
export const RuleSetSchema = z.object({
  version: z.string().min(1),
  effectiveFrom: z.iso.datetime({ offset: true }),
  currency: CurrencyCode,
  registration: z.object({
    protectionDays: z.number().min(0),
    matchOn: z.array(z.enum(['email', 'domain'])),
    freeMailDomains: z.array(z.string()),
    excludedDomains: z.array(z.string()),
  }),
  fit: z.object({ requiredLeadFields: z.array(z.string()), minEstimatedValue: Amount }),
  attribution: z.object({
    model: z.enum([
      'first-to-register',
      'last-touch',
      'linear',
      'time-decay',
      'position-based',
      'multi-touch',
    ]),
    halfLifeDays: z.number().positive(),
    lookbackDays: z.number().min(0),
    sourcedShare: z.number().min(0).max(1),
  }),
  commission: z.object({
    rates: z.object({ sourced: TierRates, influenced: TierRates, resold: TierRates }),
    recurring: z.object({ rates: TierRates }).nullable(),
    conditions: z.array(CommissionCondition),
    limits: z.array(CommissionLimit),
    partnerReferral: z.object({ rateBps: Bps, months: z.number().int().min(0) }).nullable(),
    rewards: z.object({ customer: z.array(RewardBand), employee: z.array(RewardBand) }),
    minDealValue: Amount,
    capPerDeal: Amount.nullable(),
    holdDays: z.number().min(0),
    clawbackDays: z.number().min(0),
  }),
  tiers: z.object({
    mode: z.enum(['manual', 'auto']),
    silverDeals: z.number().int().min(0),
    goldDeals: z.number().int().min(0),
    windowDays: z.number().min(0),
  }),
  sla: z.object({
    firstContactHours: z.number().min(0),
    feedbackHours: z.number().min(0),
    staleAfterDays: z.number().min(0),
    businessHours: BusinessHours.nullable(),
  }),
  requests: z.object({
    promoterMinScore: z.number().int().min(0).max(10),
    askWindowDays: z.number().min(0),
    askWithinHours: z.number().min(0),
    followUpDays: z.number().min(0),
    alternativeAskDays: z.number().min(0),
    maxPerQuarter: z.number().int().min(0),
    quietDays: z.number().min(0),
    minTenureDays: z.number().min(0),
  }),
  kpis: z.record(z.string(), z.number().nullable()),
});
export type RuleSet = z.infer<typeof RuleSetSchema>;

/**
 * A rule set as users write it: any field may be omitted and takes its default (SPEC §4).
 * Only its shape is checked here; `resolveRuleSet` merges the defaults and validates the whole.
 */
export const RuleSetInput = z.record(z.string(), z.unknown());
export type RuleSetInput = z.infer<typeof RuleSetInput>;
