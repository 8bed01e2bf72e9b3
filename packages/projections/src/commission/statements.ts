import { iso } from '../time.ts';
import type { CommissionResult } from './types.ts';

/** One movement on a partner's statement, in its payout currency. */
export interface StatementLine {
  readonly date: string;
  readonly kind: 'commission' | 'clawback' | 'adjustment' | 'payout' | 'payout-reversed';
  readonly opportunityId?: string;
  readonly payoutId?: string;
  readonly schedule?: 'one-time' | 'recurring';
  readonly period?: number;
  /** Signed: what the movement does to the balance the ledger owes the partner. */
  readonly amount: number;
  readonly reason?: string;
}

/** One calendar month of a partner's statement (SPEC §9 statements JSON). */
export interface StatementMonth {
  readonly month: string;
  readonly opening: number;
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjusted: number;
  readonly paid: number;
  readonly closing: number;
  readonly lines: StatementLine[];
}

export interface PartnerStatement {
  readonly partnerId: string;
  readonly currency: string;
  readonly months: StatementMonth[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM` of an instant in a time zone (UTC by default). */
export function monthIn(ms: number, timeZone = 'UTC'): string {
  if (timeZone === 'UTC') return iso(ms).slice(0, 7);
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const y = parts.find((p) => p.type === 'year')!.value;
  const m = parts.find((p) => p.type === 'month')!.value;
  return `${y}-${m}`;
}

function nextMonth(key: string): string {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Monthly statements per partner (SPEC §7, §9): every month from its first movement to the
 * as-of month, with the opening balance, commission earned (converted at each line's
 * accrual), clawbacks (a refund after payment shows here as a negative line and can make
 * the closing balance negative, carried into the next month), adjustments, payouts sent
 * (a reversed payout is added back in the month it came back), and the closing balance.
 *
 * @example statements(computeCommission(model, attribution), { asOf: model.asOf, timeZone: 'Europe/Berlin' })
 */
export function statements(
  commission: CommissionResult,
  options: { readonly asOf: number; readonly timeZone?: string | undefined },
): PartnerStatement[] {
  const tz = options.timeZone ?? 'UTC';
  return commission.partners.map((p) => {
    const moves: { at: number; pos: number; line: StatementLine }[] = [];
    const add = (at: number, pos: number, line: Omit<StatementLine, 'date'>) =>
      moves.push({ at, pos, line: { date: iso(at), ...line } });
    for (const l of p.lines) {
      let gross = l.payoutAmount;
      for (const c of l.clawbacks) gross += c.payoutAmount;
      if (gross !== 0)
        add(l.accruesAtMs, 0, {
          kind: 'commission',
          opportunityId: l.opportunityId,
          schedule: l.schedule,
          ...(l.period !== undefined ? { period: l.period } : {}),
          amount: gross,
          ...(l.kind === 'referral' ? { reason: 'partner-referral' } : {}),
        });
      for (const c of l.clawbacks)
        add(c.atMs, c.position, {
          kind: 'clawback',
          opportunityId: l.opportunityId,
          amount: -c.payoutAmount,
          reason: c.reason,
        });
    }
    for (const a of p.adjustments)
      add(a.atMs, a.position, {
        kind: 'adjustment',
        opportunityId: a.opportunityId ?? '',
        amount: a.amount,
        ...(a.reason ? { reason: a.reason } : {}),
      });
    for (const x of p.payouts) {
      if ((x.status === 'sent' || x.status === 'reversed') && x.sentAtMs != null)
        add(x.sentAtMs, x.position, { kind: 'payout', payoutId: x.payoutId!, amount: -x.amount });
      if (x.status === 'reversed' && x.reversedAtMs != null)
        add(x.reversedAtMs, x.position, {
          kind: 'payout-reversed',
          payoutId: x.payoutId!,
          amount: x.amount,
          reason: 'payout reversed',
        });
    }
    moves.sort((a, b) => a.at - b.at || a.pos - b.pos);
    const months: StatementMonth[] = [];
    if (moves.length > 0) {
      const last = monthIn(options.asOf, tz);
      let key = monthIn(moves[0]!.at, tz);
      let i = 0;
      let balance = 0;
      for (let guard = 0; guard < 2400; guard += 1) {
        const m = {
          month: key,
          opening: balance,
          earned: 0,
          clawedBack: 0,
          adjusted: 0,
          paid: 0,
          closing: 0,
          lines: [] as StatementLine[],
        };
        while (i < moves.length && monthIn(moves[i]!.at, tz) === key) {
          const l = moves[i]!.line;
          if (l.kind === 'commission') m.earned += l.amount;
          else if (l.kind === 'clawback') m.clawedBack -= l.amount;
          else if (l.kind === 'adjustment') m.adjusted += l.amount;
          else m.paid -= l.amount;
          m.lines.push(l);
          i += 1;
        }
        m.closing = m.opening + m.earned - m.clawedBack + m.adjusted - m.paid;
        balance = m.closing;
        months.push(m);
        if (key >= last && i >= moves.length) break;
        key = nextMonth(key);
      }
    }
    return { partnerId: p.partnerId, currency: p.currency, months };
  });
}
