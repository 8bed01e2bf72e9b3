import type { LedgerModel } from '../model.ts';
import { partnerState } from '../state.ts';
import { HOUR } from '../time.ts';

/** How one partner handles the leads we share with it (SPEC §7, §9 `shares`). */
export interface PartnerShares {
  readonly partnerId: string;
  readonly shared: number;
  readonly accepted: number;
  readonly declined: number;
  readonly won: number;
  readonly lost: number;
  /** won ÷ shared; null when nothing was shared. */
  readonly conversionRate: number | null;
  /** Median hours from sharing to the first response (mean of the middle two for an even count); null with no response. */
  readonly medianResponseHours: number | null;
}

/**
 * The median of numbers (even count: the mean of the middle two); null for none.
 *
 * @example
 * median([3, 1, 2, 10]) // 2.5
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Shared leads per partner: how many we shared, how the partner responded (its first
 * response counts), the outcome it reported (its latest `won` or `lost`), the conversion rate
 * won ÷ shared and the median response time. Every partner with sharing settings or a
 * shared lead appears, by partner id.
 *
 * @example
 * computeShares(model) // [{ partnerId: 'P-1', shared: 2, accepted: 1, declined: 1, won: 1, ... }]
 */
export function computeShares(
  model: LedgerModel,
  options: { partnerId?: string | undefined } = {},
): PartnerShares[] {
  const acc = new Map<
    string,
    { shared: number; accepted: number; declined: number; won: number; lost: number; hours: number[] }
  >();
  const entry = (id: string) => {
    let e = acc.get(id);
    if (!e) {
      e = { shared: 0, accepted: 0, declined: 0, won: 0, lost: 0, hours: [] };
      acc.set(id, e);
    }
    return e;
  };
  for (const rec of model.partners.values()) {
    const p = partnerState(rec);
    if (p?.sharing) entry(p.partnerId);
  }
  for (const s of model.shares.values()) {
    if (!s.shared) continue;
    const e = entry(s.shared.event.data.partnerId);
    e.shared++;
    let responded = false;
    let outcome: 'won' | 'lost' | null = null;
    for (const f of s.facts) {
      const ev = f.event;
      if (ev.type === 'SharedLeadResponded' && !responded) {
        responded = true;
        if (ev.data.response === 'accepted') e.accepted++;
        else e.declined++;
        e.hours.push(Math.max(0, f.at - s.shared.at) / HOUR);
      } else if (
        ev.type === 'SharedLeadOutcome' &&
        (ev.data.outcome === 'won' || ev.data.outcome === 'lost')
      ) {
        outcome = ev.data.outcome;
      }
    }
    if (outcome === 'won') e.won++;
    if (outcome === 'lost') e.lost++;
  }
  return [...acc.entries()]
    .filter(([id]) => options.partnerId === undefined || id === options.partnerId)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partnerId, e]) => ({
      partnerId,
      shared: e.shared,
      accepted: e.accepted,
      declined: e.declined,
      won: e.won,
      lost: e.lost,
      conversionRate: e.shared === 0 ? null : e.won / e.shared,
      medianResponseHours: median(e.hours),
    }));
}
