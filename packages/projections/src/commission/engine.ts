import {
  applyBps,
  type CommissionLimit,
  convertMinor,
  mulDivRound,
  type Rational,
  type RuleSet,
  type Tier,
} from '@referral-ledger/core';
import { type EventRef, type LedgerModel, refOf } from '../model.ts';
import { type PartnerState, partnerState, payoutState, tierAt } from '../state.ts';
import { addMonthsUtc, DAY, iso } from '../time.ts';
import { type ConditionFacts, firstMatch } from './conditions.ts';
import type {
  BalanceEntry,
  Clawback,
  CommissionLine,
  CommissionResult,
  CreditKind,
  CommissionAttribution,
  PartnerCommission,
} from './types.ts';

/** Options of `computeCommission`. */
export interface CommissionOptions {
  /** When holds are evaluated (epoch ms); default the model's as-of time. */
  readonly at?: number;
  /**
   * Build each line's `explanation` (the arithmetic, citing events); default true. Reports
   * that print figures only pass false: the text costs more than the arithmetic.
   */
  readonly explain?: boolean;
}

/** A line while it is built: the base amount before limits, and what it needs to finish. */
interface Draft {
  partnerId: string;
  opportunityId: string;
  kind: CreditKind | 'referral';
  tier: Tier;
  schedule: 'one-time' | 'recurring';
  period: number | undefined;
  accruesAtMs: number;
  currency: string;
  credited: number;
  rateBps: number;
  condition: string | undefined;
  /** Commission before limits. */
  base: number;
  commission: number;
  outsideTerms: number;
  eligible: boolean;
  reason: string | undefined;
  payoutRate: Rational | null;
  payoutRateText: string | undefined;
  /** Where the payout rate came from (null for the same currency). */
  payoutRateRef: EventRef | null;
  payoutCurrency: string;
  explanation: string[];
  rules: RuleSet;
  att: CommissionAttribution;
  closePos: number;
  creditIndex: number;
  /** 0 for the one-time line, k for recurring year k. */
  sub: number;
}

const fmtRef = (r: { eventId: string; position: number }) => `event ${r.eventId} @${r.position}`;

function periodKey(ms: number, interval: CommissionLimit['interval']): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  switch (interval) {
    case 'month':
      return `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    case 'quarter':
      return `${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    case 'year':
      return String(y);
    default:
      return 'all';
  }
}

function tierFromCount(n: number, rules: RuleSet): Tier {
  if (n >= rules.tiers.goldDeals) return 'gold';
  if (n >= rules.tiers.silverDeals) return 'silver';
  return 'bronze';
}

/**
 * Commission per partner and per line (SPEC §6.1–§6.4) from the replayed model and the
 * attribution of every opportunity. Pure: the as-of time and the rules come from the model.
 *
 * Lines are built per (won opportunity, credited enrolled partner): the one-time line, its
 * recurring years, then limits clamp every line in accrual order (spawning two-tier referral
 * lines right after their base), clawbacks are applied, and each line is converted into the
 * partner's payout currency at its accrual. Partner totals add approvals, adjustments and
 * payouts from the log.
 *
 * @example
 * const result = computeCommission(model, computeAttribution(model));
 * result.partners.find((p) => p.partnerId === 'P-1')?.earned // 1800000
 */
export function computeCommission(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: CommissionOptions = {},
): CommissionResult {
  // Several reports of one run ask for the same figures: compute them once per model.
  const at = options.at ?? model.asOf;
  const explain = options.explain !== false;
  const cached = cache.get(model);
  if (
    cached &&
    cached.attribution === attribution &&
    cached.eventCount === model.eventCount &&
    cached.at === at &&
    (cached.explain || !explain)
  )
    return cached.result;
  const result = compute(model, attribution, options);
  cache.set(model, { attribution, eventCount: model.eventCount, at, explain, result });
  return result;
}

const cache = new WeakMap<
  LedgerModel,
  {
    attribution: ReadonlyMap<string, CommissionAttribution>;
    eventCount: number;
    at: number;
    explain: boolean;
    result: CommissionResult;
  }
>();

function compute(
  model: LedgerModel,
  attribution: ReadonlyMap<string, CommissionAttribution>,
  options: CommissionOptions,
): CommissionResult {
  const T = model.asOf;
  const now = options.at ?? T;
  const ex = options.explain !== false;
  const partners = new Map<string, PartnerState>();
  for (const rec of model.partners.values()) {
    const p = partnerState(rec);
    if (p) partners.set(p.partnerId, p);
  }

  const won: CommissionAttribution[] = [];
  for (const a of attribution.values()) if (a.status === 'won' && a.closedAt !== null) won.push(a);
  const closePos = (a: CommissionAttribution) => a.state.close?.event.position ?? 0;
  won.sort((a, b) => a.closedAt! - b.closedAt! || closePos(a) - closePos(b));

  // Sourced wins per partner, for auto tiers.
  const sourcedWins = new Map<string, { at: number; pos: number; opportunityId: string }[]>();
  for (const a of won)
    for (const c of a.credits)
      if (c.kind === 'sourced') {
        const list = sourcedWins.get(c.partyId) ?? [];
        sourcedWins.set(c.partyId, list);
        list.push({ at: a.closedAt!, pos: closePos(a), opportunityId: a.opportunityId });
      }

  const tierFor = (
    p: PartnerState,
    t: number,
    pos: number,
    rules: RuleSet,
    exclude: string | null,
  ): { tier: Tier; why: string } => {
    if (rules.tiers.mode === 'auto') {
      const from = t - rules.tiers.windowDays * DAY;
      let n = 0;
      for (const w of sourcedWins.get(p.partnerId) ?? []) {
        if (w.opportunityId === exclude) continue;
        if (w.at > from && (w.at < t || (w.at === t && w.pos < pos))) n += 1;
      }
      const tier = tierFromCount(n, rules);
      return {
        tier,
        why: !ex
          ? ''
          : `tier ${tier} (auto: ${n} sourced won deal(s) in the ${rules.tiers.windowDays} days before ${iso(t)}, silver ≥ ${rules.tiers.silverDeals}, gold ≥ ${rules.tiers.goldDeals})`,
      };
    }
    const tier = tierAt(p, t);
    if (!ex) return { tier, why: '' };
    let src = p.tiers[0]!.fact;
    for (const x of p.tiers) if (x.at <= t) src = x.fact;
    return { tier, why: ex ? `tier ${tier} at ${iso(t)} (${fmtRef(refOf(src))})` : '' };
  };

  const drafts: Draft[] = [];
  for (const a of won) {
    const close = a.closedAt!;
    const pos = closePos(a);
    const rules = model.rulesAt(close);
    const c = rules.commission;
    const value = a.value.amount;
    const ccy = a.value.currency;
    const closeRef = ex && a.state.close ? fmtRef(refOf(a.state.close)) : 'close';
    // Rule-set amounts in the deal's currency at the close (SPEC §4, §6.4).
    const ruleFx = rules.currency === ccy ? null : model.fxRate(rules.currency, ccy, close);
    const ruleAmt = (x: number): number | null =>
      rules.currency === ccy ? x : ruleFx ? convertMinor(x, rules.currency, ccy, ruleFx.rate) : null;
    const dealFx = rules.currency === ccy ? null : model.fxRate(ccy, rules.currency, close);
    const dealValueInRules =
      rules.currency === ccy
        ? value
        : dealFx
          ? convertMinor(value, ccy, rules.currency, dealFx.rate)
          : undefined;
    let minDeal: number | null = 0;
    if (c.minDealValue > 0) minDeal = ruleAmt(c.minDealValue);
    const cap = c.capPerDeal === null ? undefined : ruleAmt(c.capPerDeal);
    const churns = a.state.reversals.filter((r) => r.event.data.reason === 'churn');

    a.credits.forEach((credit, creditIndex) => {
      if (credit.partyId === 'house' || credit.kind === 'house') return;
      const p = partners.get(credit.partyId);
      if (!p) return;
      const { tier, why } = tierFor(p, close, pos, rules, a.opportunityId);
      const payoutFx = model.fxRate(ccy, p.payoutCurrency, close);
      const head: string[] = !ex
        ? []
        : [
            `rule set ${rules.version}; deal ${a.opportunityId} won ${value} ${ccy} at ${iso(close)} (${closeRef})`,
            `credit ${credit.kind} share ${credit.share} = ${credit.amount} ${ccy}`,
            why,
          ];
      const base: Draft = {
        partnerId: p.partnerId,
        opportunityId: a.opportunityId,
        kind: credit.kind,
        tier,
        schedule: 'one-time',
        period: undefined,
        accruesAtMs: close,
        currency: ccy,
        credited: credit.amount,
        rateBps: 0,
        condition: undefined,
        base: 0,
        commission: 0,
        outsideTerms: 0,
        eligible: true,
        reason: undefined,
        payoutRate: payoutFx?.rate ?? null,
        payoutRateText: payoutFx ? payoutFx.text : undefined,
        payoutRateRef: payoutFx && ccy !== p.payoutCurrency ? payoutFx.source : null,
        payoutCurrency: p.payoutCurrency,
        explanation: head,
        rules,
        att: a,
        closePos: pos,
        creditIndex,
        sub: 0,
      };
      let missing = minDeal === null || payoutFx === null;
      let restriction: string | null = null;
      let amount = 0;
      if (p.program === 'partner') {
        let cond: ReturnType<typeof firstMatch> = null;
        if (c.conditions.length > 0) {
          const facts: Record<string, string | number | undefined> = {
            'partner.id': p.partnerId,
            'partner.program': p.program,
            'partner.tier': tier,
            'credit.kind': credit.kind,
            'deal.value': dealValueInRules,
            'deal.currency': ccy,
            'deal.contractMonths': a.state.contractMonths,
            'deal.accountDomain': a.state.accountDomain,
          };
          for (const k in a.state.attributes) facts[`deal.attributes.${k}`] = a.state.attributes[k];
          cond = firstMatch(c.conditions, facts as ConditionFacts);
        }
        if (cond) {
          base.condition = cond.name;
          const then = cond.then;
          if ('flat' in then) {
            const flat = ruleAmt(then.flat);
            if (flat === null) missing = true;
            else amount = flat;
            if (ex)
              head.push(
                `condition "${cond.name}" matched: flat ${then.flat} ${rules.currency} = ${flat ?? '?'} ${ccy}`,
              );
          } else {
            base.rateBps = then.rateBps;
            amount = applyBps(credit.amount, then.rateBps);
            if ('reason' in then) {
              restriction = then.reason;
              if (ex) head.push(`condition "${cond.name}" matched: restriction (${then.reason})`);
            } else if (ex)
              head.push(
                `condition "${cond.name}" matched: ${credit.amount} × ${then.rateBps} / 10000 = ${amount} ${ccy} (round half up)`,
              );
          }
        } else {
          const rate = c.rates[credit.kind][tier];
          base.rateBps = rate;
          amount = applyBps(credit.amount, rate);
          if (ex)
            head.push(
              `rate ${credit.kind}/${tier} ${rate} bps: ${credit.amount} × ${rate} / 10000 = ${amount} ${ccy} (round half up)`,
            );
        }
      } else if (credit.kind !== 'sourced') {
        base.eligible = false;
        base.reason = 'not-sourced';
        if (ex) head.push(`program ${p.program}: only a sourced credit earns a reward`);
      } else {
        let best: { minDealValue: number; reward: number } | null = null;
        for (const band of c.rewards[p.program]) {
          const min = ruleAmt(band.minDealValue);
          if (min === null) missing = true;
          else if (min <= value && (best === null || band.minDealValue > best.minDealValue)) best = band;
        }
        if (best) {
          const r = ruleAmt(best.reward);
          if (r === null) missing = true;
          else amount = r;
          if (ex)
            head.push(
              `program ${p.program}: band from ${best.minDealValue} ${rules.currency} rewards ${best.reward} ${rules.currency} = ${r ?? '?'} ${ccy} (not prorated)`,
            );
        } else {
          base.eligible = false;
          base.reason = 'no-reward-band';
          if (ex) head.push(`program ${p.program}: no reward band applies to ${value} ${ccy}`);
        }
      }
      const capLine = (d: Draft, x: number): number => {
        if (cap === undefined) return x;
        if (cap === null) {
          missing = true;
          return x;
        }
        if (x > cap) {
          if (ex) d.explanation.push(`capped per deal at ${cap} ${ccy}`);
          return cap;
        }
        return x;
      };
      amount = capLine(base, amount);
      const below = minDeal !== null && value < minDeal;
      const settle = (d: Draft, x: number, miss: boolean, churned: boolean) => {
        if (churned) {
          d.eligible = false;
          d.reason = 'churned';
        } else if (miss) {
          d.eligible = false;
          d.reason = 'missing-fx-rate';
          if (ex)
            d.explanation.push('no exchange rate for a needed conversion: earns 0 until one is recorded');
        } else if (below) {
          d.eligible = false;
          d.reason = 'below-min-deal-value';
          if (ex)
            d.explanation.push(`won value ${value} ${ccy} is below minDealValue ${minDeal} ${ccy}: earns 0`);
        } else if (restriction !== null) {
          d.eligible = false;
          d.reason = restriction;
        }
        d.base = d.eligible ? x : 0;
      };
      settle(base, amount, missing, false);
      drafts.push(base);

      if (p.program === 'partner' && c.recurring && (credit.kind === 'sourced' || credit.kind === 'resold')) {
        const rate = c.recurring.rates[tier];
        const years = Math.ceil(a.state.contractMonths / 12);
        for (let k = 1; k <= years; k += 1) {
          const at = addMonthsUtc(close, 12 * (k - 1));
          if (at > T) break;
          const fx = model.fxRate(ccy, p.payoutCurrency, at);
          const churn = k > 1 ? churns.find((r) => r.at <= at) : undefined;
          const d: Draft = {
            ...base,
            schedule: 'recurring',
            period: k,
            accruesAtMs: at,
            rateBps: rate,
            condition: restriction !== null ? base.condition : undefined,
            eligible: true,
            reason: undefined,
            payoutRate: fx?.rate ?? null,
            payoutRateText: fx ? fx.text : undefined,
            payoutRateRef: fx && fx.source.eventId !== '' ? fx.source : null,
            sub: k,
            explanation: !ex
              ? []
              : [
                  ...head.slice(0, 3),
                  `recurring year ${k} accrues at ${iso(at)}: ${credit.amount} × ${rate} / 10000 = ${applyBps(credit.amount, rate)} ${ccy} (round half up)`,
                ],
          };
          if (churn)
            if (ex) d.explanation.push(`churned before this year (${fmtRef(refOf(churn))}): earns 0`);
          const before = missing;
          missing = minDeal === null || fx === null;
          const x = capLine(d, applyBps(credit.amount, rate));
          settle(d, x, missing, churn !== undefined);
          missing = before;
          drafts.push(d);
        }
      }
    });
  }

  drafts.sort(
    (a, b) =>
      a.accruesAtMs - b.accruesAtMs ||
      a.closePos - b.closePos ||
      a.creditIndex - b.creditIndex ||
      a.sub - b.sub,
  );

  // Limits (SPEC §6.2), in accrual order, with referral lines right after their base.
  const used = new Map<string, number>();
  const clamp = (d: Draft): void => {
    const limits = d.rules.commission.limits;
    d.commission = d.base;
    d.outsideTerms = 0;
    if (d.base <= 0 || limits.length === 0) return;
    const rc = d.rules.currency;
    let inRules = d.base;
    let rate: Rational | null = null;
    if (rc !== d.currency) {
      const fx = model.fxRate(d.currency, rc, d.accruesAtMs);
      if (!fx) {
        d.eligible = false;
        d.reason = 'missing-fx-rate';
        d.commission = 0;
        if (ex) d.explanation.push(`no ${d.currency}→${rc} rate to count this line against its limits`);
        return;
      }
      rate = fx.rate;
      inRules = convertMinor(d.base, d.currency, rc, fx.rate);
    }
    let allowed = inRules;
    const keys: string[] = [];
    for (const lim of limits) {
      const key = `${d.partnerId}|${rc}|${lim.interval}|${periodKey(d.accruesAtMs, lim.interval)}`;
      keys.push(key);
      const left = Math.max(0, lim.amount - (used.get(key) ?? 0));
      if (left < allowed) allowed = left;
    }
    for (const key of keys) used.set(key, (used.get(key) ?? 0) + allowed);
    if (allowed < inRules) {
      const back =
        rate === null ? allowed : convertMinor(allowed, rc, d.currency, { num: rate.den, den: rate.num });
      d.commission = Math.min(d.base, back);
      d.outsideTerms = d.base - d.commission;
      if (ex)
        d.explanation.push(
          `limit: ${allowed} ${rc} left in the interval; ${d.commission} ${d.currency} earns, ${d.outsideTerms} ${d.currency} outside terms`,
        );
    }
  };

  const lines: Draft[] = [];
  for (const d of drafts) {
    clamp(d);
    lines.push(d);
    const owner = partners.get(d.partnerId)!;
    const pr = d.rules.commission.partnerReferral;
    if (!pr || owner.referredBy === null || !d.eligible || d.commission <= 0) continue;
    const recruiter = partners.get(owner.referredBy);
    if (!recruiter || recruiter.partnerId === owner.partnerId) continue;
    const windowEnd = addMonthsUtc(owner.enrolledAt, pr.months);
    if (d.accruesAtMs < owner.enrolledAt || d.accruesAtMs >= windowEnd) continue;
    const fx = model.fxRate(d.currency, recruiter.payoutCurrency, d.accruesAtMs);
    const { tier, why } = tierFor(recruiter, d.accruesAtMs, d.closePos, d.rules, null);
    const amount = applyBps(d.commission, pr.rateBps);
    const r: Draft = {
      ...d,
      partnerId: recruiter.partnerId,
      kind: 'referral',
      tier,
      credited: d.commission,
      rateBps: pr.rateBps,
      condition: undefined,
      base: fx ? amount : 0,
      eligible: fx !== null,
      reason: fx ? undefined : 'missing-fx-rate',
      payoutRate: fx?.rate ?? null,
      payoutRateText: fx ? fx.text : undefined,
      payoutRateRef: fx && fx.source.eventId !== '' ? fx.source : null,
      payoutCurrency: recruiter.payoutCurrency,
      explanation: !ex
        ? []
        : [
            d.explanation[0]!,
            `partner-referral: ${owner.partnerId} was referred by ${recruiter.partnerId} (enrolled ${iso(owner.enrolledAt)}, window ${pr.months} months)`,
            why,
            `${d.commission} ${d.currency} × ${pr.rateBps} / 10000 = ${amount} ${d.currency} (round half up)`,
          ],
    };
    clamp(r);
    lines.push(r);
  }

  // Clawbacks, payout conversion, and the finished lines per partner.
  const byPartner = new Map<string, CommissionLine[]>();
  for (const p of partners.keys()) byPartner.set(p, []);
  for (const d of lines) {
    const wonValue = d.att.value.amount;
    const clawbacks: Clawback[] = [];
    let clawed = 0;
    const windowEnd = d.accruesAtMs + d.rules.commission.clawbackDays * DAY;
    if (d.commission > 0 && wonValue > 0) {
      for (const r of d.att.state.reversals) {
        if (r.at < d.accruesAtMs || r.at >= windowEnd) continue;
        let reversed: number = r.event.data.value.amount;
        if (r.event.data.value.currency !== d.currency) {
          const fx = model.fxRate(r.event.data.value.currency, d.currency, r.at);
          if (!fx) continue;
          reversed = convertMinor(reversed, r.event.data.value.currency, d.currency, fx.rate);
        }
        const want = mulDivRound(d.commission, reversed, wonValue);
        const take = Math.min(want, d.commission - clawed);
        if (take <= 0) continue;
        clawed += take;
        const payoutAmount = d.payoutRate
          ? convertMinor(take, d.currency, d.payoutCurrency, d.payoutRate)
          : 0;
        clawbacks.push({
          at: iso(r.at),
          atMs: r.at,
          amount: take,
          payoutAmount,
          reason: r.event.data.reason,
          eventId: r.eventId,
          position: r.event.position,
        });
        if (ex)
          d.explanation.push(
            `clawback (${r.event.data.reason}, ${fmtRef(refOf(r))}): ${d.commission} × ${reversed} / ${wonValue} = ${want} ${d.currency}, ${take} applied`,
          );
      }
    }
    let payoutAmount = 0;
    if (d.payoutRate && d.commission !== 0) {
      payoutAmount = convertMinor(d.commission, d.currency, d.payoutCurrency, d.payoutRate);
      for (const cb of clawbacks) payoutAmount -= cb.payoutAmount;
      if (d.currency !== d.payoutCurrency)
        if (ex)
          d.explanation.push(
            `payout: ${d.commission} ${d.currency} × ${d.payoutRateText} (${d.payoutRateRef ? fmtRef(d.payoutRateRef) : 'rate'}) at ${iso(d.accruesAtMs)} = ${convertMinor(d.commission, d.currency, d.payoutCurrency, d.payoutRate)} ${d.payoutCurrency}, net of clawbacks ${payoutAmount}`,
          );
    }
    const line: CommissionLine = {
      partnerId: d.partnerId,
      opportunityId: d.opportunityId,
      kind: d.kind,
      tier: d.tier,
      schedule: d.schedule,
      ...(d.period !== undefined ? { period: d.period } : {}),
      accruesAt: iso(d.accruesAtMs),
      currency: d.currency,
      credited: d.credited,
      rateBps: d.rateBps,
      ...(d.condition !== undefined ? { condition: d.condition } : {}),
      commission: d.commission,
      outsideTerms: d.outsideTerms,
      clawedBack: clawed,
      payoutAmount,
      ...(d.currency !== d.payoutCurrency && d.payoutRateText !== undefined
        ? { fxRate: d.payoutRateText }
        : {}),
      eligible: d.eligible,
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
      explanation: d.explanation,
      accruesAtMs: d.accruesAtMs,
      clawbacks,
      disputed: d.att.disputed,
    };
    byPartner.get(d.partnerId)!.push(line);
  }

  // Approvals, adjustments and payouts from the log, per partner.
  const approvals = new Map<string, BalanceEntry[]>();
  const adjustments = new Map<string, BalanceEntry[]>();
  const payouts = new Map<string, BalanceEntry[]>();
  const push = (m: Map<string, BalanceEntry[]>, k: string, e: BalanceEntry) => {
    const l = m.get(k) ?? [];
    m.set(k, l);
    l.push(e);
  };
  const inPayout = (partnerId: string, amount: number, currency: string, t: number): number | null => {
    const p = partners.get(partnerId);
    if (!p || currency === p.payoutCurrency) return amount;
    const fx = model.fxRate(currency, p.payoutCurrency, t);
    return fx ? convertMinor(amount, currency, p.payoutCurrency, fx.rate) : null;
  };
  for (const facts of model.commissions.values())
    for (const f of facts) {
      const d = f.event.data;
      const amount = inPayout(d.partnerId, d.amount.amount, d.amount.currency, f.at);
      if (amount === null) continue;
      const e: BalanceEntry = {
        kind: f.event.type === 'CommissionApproved' ? 'approval' : 'adjustment',
        opportunityId: d.opportunityId,
        at: iso(f.at),
        atMs: f.at,
        amount,
        ...(f.event.type === 'CommissionAdjusted' ? { reason: f.event.data.reason } : {}),
        eventId: f.eventId,
        position: f.event.position,
      };
      push(e.kind === 'approval' ? approvals : adjustments, d.partnerId, e);
    }
  for (const rec of model.payouts.values()) {
    const s = payoutState(rec);
    if (!s) continue;
    const d = s.scheduled.event.data;
    const amount = inPayout(d.partnerId, d.amount.amount, d.amount.currency, s.scheduled.at);
    if (amount === null) continue;
    push(payouts, d.partnerId, {
      kind: 'payout',
      opportunityId: null,
      payoutId: s.payoutId,
      at: iso(s.scheduled.at),
      atMs: s.scheduled.at,
      amount,
      status: s.status,
      sentAtMs: s.sentAt,
      reversedAtMs: s.status === 'reversed' ? s.statusAt : null,
      eventId: s.scheduled.eventId,
      position: s.scheduled.event.position,
    });
  }

  const out: PartnerCommission[] = [];
  for (const p of [...partners.values()].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1))) {
    const ls = byPartner.get(p.partnerId)!;
    const aps = approvals.get(p.partnerId) ?? [];
    const adj = adjustments.get(p.partnerId) ?? [];
    const pays = payouts.get(p.partnerId) ?? [];
    let earned = 0;
    for (const l of ls) earned += l.payoutAmount;
    for (const a of adj) earned += a.amount;
    let paid = 0;
    let scheduled = 0;
    for (const x of pays) {
      if (x.status === 'sent') paid += x.amount;
      else if (x.status === 'scheduled') scheduled += x.amount;
    }
    const { approved, payable } = approvalBalance(ls, aps, attribution, model, now);
    out.push({
      partnerId: p.partnerId,
      program: p.program,
      currency: p.payoutCurrency,
      earned,
      approved,
      paid,
      payable: payable - paid,
      outstanding: earned - paid,
      scheduled,
      lines: ls,
      approvals: aps,
      adjustments: adj,
      payouts: pays,
    });
  }
  return { partners: out };
}

/**
 * SPEC §6.1: approvals add up per (opportunity, partner); clawbacks landing after the
 * pair's first approval reduce it; an approval is payable once `holdDays` passed since the
 * latest accrual (at the approval's time) of the partner's lines on that opportunity, and
 * never while the opportunity is disputed.
 */
function approvalBalance(
  lines: readonly CommissionLine[],
  approvals: readonly BalanceEntry[],
  attribution: ReadonlyMap<string, CommissionAttribution>,
  model: LedgerModel,
  now: number,
): { approved: number; payable: number } {
  const byOpp = new Map<string, BalanceEntry[]>();
  for (const a of approvals) {
    const k = a.opportunityId ?? '';
    const l = byOpp.get(k) ?? [];
    byOpp.set(k, l);
    l.push(a);
  }
  const linesByOpp = new Map<string, CommissionLine[]>();
  for (const l of lines) {
    const list = linesByOpp.get(l.opportunityId) ?? [];
    linesByOpp.set(l.opportunityId, list);
    list.push(l);
  }
  let approved = 0;
  let payable = 0;
  for (const [opp, aps] of byOpp) {
    aps.sort((a, b) => a.atMs - b.atMs || a.position - b.position);
    const own = linesByOpp.get(opp) ?? [];
    const att = attribution.get(opp);
    const holdDays = model.rulesAt(att?.closedAt ?? now).commission.holdDays;
    const first = aps[0]!.atMs;
    let clawAfter = 0;
    for (const l of own) for (const c of l.clawbacks) if (c.atMs > first) clawAfter += c.payoutAmount;
    let total = 0;
    let released = 0;
    for (const a of aps) {
      total += a.amount;
      let latest = Number.NEGATIVE_INFINITY;
      for (const l of own) if (l.accruesAtMs <= a.atMs && l.accruesAtMs > latest) latest = l.accruesAtMs;
      const holdEnd = latest + holdDays * DAY;
      if (holdEnd <= now) released += a.amount;
    }
    approved += total - clawAfter;
    const disputed = att?.disputed === true || own.some((l) => l.disputed);
    if (!disputed) payable += released - clawAfter;
  }
  return { approved, payable };
}
