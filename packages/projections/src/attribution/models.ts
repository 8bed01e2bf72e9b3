import { HOUSE } from '@referral-ledger/core';
import type { AttributionModelName } from './types.ts';

/** A counted touch as the models see it, in time order (occurredAt, then position). */
export interface ModelTouch {
  readonly partyId: string;
  readonly at: number;
  /** The sourced partner's registration touch (SPEC §5 "Touches"). */
  readonly registration: boolean;
}

export interface ModelInput {
  readonly model: AttributionModelName;
  /** Counted touches, sorted by time then log position. */
  readonly touches: readonly ModelTouch[];
  /** The sourced partner, if any. */
  readonly sourcedPartyId: string | null;
  /** The evaluation time: the close, else the as-of time (epoch ms). */
  readonly at: number;
  readonly halfLifeMs: number;
  readonly sourcedShare: number;
}

export interface ModelOutput {
  /** Per touch (same order as the input): the model's raw weight and the share of the deal it carries. */
  readonly weights: readonly number[];
  readonly contributions: readonly number[];
  /** Each party's summed share; the shares sum to 1 (within 1e-9). */
  readonly shares: ReadonlyMap<string, number>;
}

/** 2^(−(T − t) / halfLife), measured in exact milliseconds (SPEC §5 time-decay). */
export function decayWeight(evaluatedAt: number, touchAt: number, halfLifeMs: number): number {
  return 2 ** (-(evaluatedAt - touchAt) / halfLifeMs);
}

function sharesOf(touches: readonly ModelTouch[], contributions: readonly number[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (let i = 0; i < touches.length; i++) {
    const c = contributions[i]!;
    if (c === 0) continue;
    const p = touches[i]!.partyId;
    shares.set(p, (shares.get(p) ?? 0) + c);
  }
  return shares;
}

function timeDecay(
  touches: readonly ModelTouch[],
  idx: readonly number[],
  at: number,
  halfLifeMs: number,
  scale: number,
  weights: number[],
  contributions: number[],
): void {
  let total = 0;
  for (const i of idx) {
    const w = decayWeight(at, touches[i]!.at, halfLifeMs);
    weights[i] = w;
    total += w;
  }
  for (const i of idx) contributions[i] = (weights[i]! / total) * scale;
}

/**
 * The shares of a deal among parties under one of the six models of SPEC §5. Pure: the
 * caller has already applied the lookback and found the sourced partner.
 *
 * @example
 * modelShares({ model: 'linear', touches: [{partyId: 'P-1', at: 0, registration: false},
 *   {partyId: 'P-2', at: 1, registration: false}], sourcedPartyId: null, at: 1,
 *   halfLifeMs: 7 * 86_400_000, sourcedShare: 0.4 }).shares // Map{P-1→0.5, P-2→0.5}
 */
export function modelShares(input: ModelInput): ModelOutput {
  const { touches, model } = input;
  const n = touches.length;
  const weights = new Array<number>(n).fill(0);
  const contributions = new Array<number>(n).fill(0);
  if (n === 0) return { weights, contributions, shares: new Map([[HOUSE, 1]]) };
  switch (model) {
    case 'first-to-register': {
      if (input.sourcedPartyId === null) {
        return { weights, contributions, shares: new Map([[HOUSE, 1]]) };
      }
      const reg = touches.findIndex((t) => t.registration);
      if (reg >= 0) {
        weights[reg] = 1;
        contributions[reg] = 1;
        return { weights, contributions, shares: sharesOf(touches, contributions) };
      }
      return { weights, contributions, shares: new Map([[input.sourcedPartyId, 1]]) };
    }
    case 'last-touch':
      weights[n - 1] = 1;
      contributions[n - 1] = 1;
      break;
    case 'linear':
      for (let i = 0; i < n; i++) {
        weights[i] = 1;
        contributions[i] = 1 / n;
      }
      break;
    case 'time-decay':
      timeDecay(
        touches,
        touches.map((_, i) => i),
        input.at,
        input.halfLifeMs,
        1,
        weights,
        contributions,
      );
      break;
    case 'position-based':
      if (n === 1) contributions[0] = 1;
      else if (n === 2) {
        contributions[0] = 0.5;
        contributions[1] = 0.5;
      } else {
        contributions[0] = 0.4;
        contributions[n - 1] = 0.4;
        for (let i = 1; i < n - 1; i++) contributions[i] = 0.2 / (n - 2);
      }
      for (let i = 0; i < n; i++) weights[i] = contributions[i]!;
      break;
    case 'multi-touch': {
      const reg = input.sourcedPartyId === null ? -1 : touches.findIndex((t) => t.registration);
      const others: number[] = [];
      for (let i = 0; i < n; i++) if (i !== reg) others.push(i);
      if (input.sourcedPartyId === null) {
        timeDecay(touches, others, input.at, input.halfLifeMs, 1, weights, contributions);
        break;
      }
      if (others.length === 0) {
        if (reg >= 0) {
          weights[reg] = 1;
          contributions[reg] = 1;
          break;
        }
        return { weights, contributions, shares: new Map([[input.sourcedPartyId, 1]]) };
      }
      const rest = 1 - input.sourcedShare;
      timeDecay(touches, others, input.at, input.halfLifeMs, rest, weights, contributions);
      if (reg >= 0) {
        weights[reg] = input.sourcedShare;
        contributions[reg] = input.sourcedShare;
      } else {
        const shares = sharesOf(touches, contributions);
        shares.set(input.sourcedPartyId, (shares.get(input.sourcedPartyId) ?? 0) + input.sourcedShare);
        return { weights, contributions, shares };
      }
      break;
    }
    default: {
      const never: never = model;
      throw new Error(`unknown attribution model ${String(never)}`);
    }
  }
  return { weights, contributions, shares: sharesOf(touches, contributions) };
}
