import type { Tier } from '@referral-ledger/core';

import type { CreditKind, OpportunityAttribution } from '../attribution/types.ts';

export type { CreditKind };

/**
 * What commission reads of an opportunity's attribution (SPEC §5): everything but the
 * explanation, so tests can state credits by hand.
 */
export type CommissionAttribution = Omit<OpportunityAttribution, 'explanation'>;

/** A clawback applied to a line: when it landed, what it took, and the event it came from. */
export interface Clawback {
  readonly at: string;
  readonly atMs: number;
  /** In the deal's currency. */
  readonly amount: number;
  /** In the partner's payout currency, at the line's rate. */
  readonly payoutAmount: number;
  readonly reason: string;
  readonly eventId: string;
  readonly position: number;
}

/** One commission line (SPEC §9 fields, plus `partnerId`, `explanation` and audit details). */
export interface CommissionLine {
  readonly partnerId: string;
  readonly opportunityId: string;
  readonly kind: CreditKind | 'referral';
  readonly tier: Tier;
  readonly schedule: 'one-time' | 'recurring';
  readonly period?: number;
  readonly accruesAt: string;
  /** The deal's currency: `credited`, `commission`, `outsideTerms` and `clawedBack` are in it. */
  readonly currency: string;
  readonly credited: number;
  readonly rateBps: number;
  readonly condition?: string;
  /** What the line earns after caps and limits, before clawbacks. */
  readonly commission: number;
  /** The part a limit clamped off (SPEC §6.2), earning nothing. */
  readonly outsideTerms: number;
  readonly clawedBack: number;
  /** Converted commission minus each clawback converted at the line's rate, payout currency. */
  readonly payoutAmount: number;
  /** The deal → payout rate used, as recorded (`"0.9"`, or `"1/1.1"` for a reciprocal). */
  readonly fxRate?: string;
  readonly eligible: boolean;
  readonly reason?: string;
  /** The arithmetic, citing eventId and position (for `explain`). */
  readonly explanation: readonly string[];
  /** Audit details used by statements and payable (not part of the SPEC §9 JSON). */
  readonly accruesAtMs: number;
  readonly clawbacks: readonly Clawback[];
  readonly disputed: boolean;
}

/** An approval, adjustment or payout that moves a partner's balance. */
export interface BalanceEntry {
  readonly kind: 'approval' | 'adjustment' | 'payout';
  readonly opportunityId: string | null;
  readonly payoutId?: string;
  readonly at: string;
  readonly atMs: number;
  /** In the partner's payout currency. */
  readonly amount: number;
  readonly reason?: string;
  readonly status?: 'scheduled' | 'sent' | 'failed' | 'reversed';
  /** For a payout: when it was sent and, if it came back, when (ms). */
  readonly sentAtMs?: number | null;
  readonly reversedAtMs?: number | null;
  readonly eventId: string;
  readonly position: number;
}

/** One partner's commission figures (SPEC §6.1), all in its payout `currency`. */
export interface PartnerCommission {
  readonly partnerId: string;
  readonly program: 'partner' | 'customer' | 'employee';
  readonly currency: string;
  readonly earned: number;
  readonly approved: number;
  readonly paid: number;
  readonly payable: number;
  readonly outstanding: number;
  /** Approved but unsent payouts are not deducted from `payable`; this is their sum. */
  readonly scheduled: number;
  readonly lines: CommissionLine[];
  readonly approvals: readonly BalanceEntry[];
  readonly adjustments: readonly BalanceEntry[];
  readonly payouts: readonly BalanceEntry[];
}

export interface CommissionResult {
  /** Every enrolled partner, in partner-id order. */
  readonly partners: PartnerCommission[];
}
