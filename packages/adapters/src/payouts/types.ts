import { type Money, minorDigits, ValidationError } from '@referral-ledger/core';

/** A scheduled, unsent payout with what a provider needs to know about its partner. */
export interface PayoutToSend {
  readonly payoutId: string;
  readonly partnerId: string;
  readonly amount: Money;
  readonly provider: 'stripe' | 'paypal' | 'wise' | 'manual';
  readonly lines: readonly { readonly opportunityId: string; readonly amount: Money }[];
  readonly partner: {
    readonly name: string;
    readonly contactEmail: string;
    readonly program?: 'partner' | 'customer' | 'employee';
  };
}

/**
 * Minor units as the decimal string providers expect, with exactly the currency's digits.
 * @example decimalString(123450, 'USD') // '1234.50'; decimalString(1500, 'JPY') // '1500'
 */
export function decimalString(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const s = String(Math.abs(amount)).padStart(digits + 1, '0');
  const out = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${out}` : out;
}

/** Refuse a payout a provider cannot pay, naming it and the field. */
export function refusePayout(provider: string, payoutId: string, field: string, message: string): never {
  throw new ValidationError(`${provider}: payout ${payoutId}: ${field}: ${message}`, [
    { path: `${payoutId}.${field}`, message },
  ]);
}

/** Checks every provider shares: the right provider, a positive integer amount. */
export function checkPayout(p: PayoutToSend, provider: 'stripe' | 'paypal' | 'wise'): void {
  if (p.provider !== provider)
    refusePayout(provider, p.payoutId, 'provider', `is ${p.provider}, not ${provider}`);
  if (!Number.isSafeInteger(p.amount.amount) || p.amount.amount <= 0) {
    refusePayout(provider, p.payoutId, 'amount', 'must be a positive integer number of minor units');
  }
}
