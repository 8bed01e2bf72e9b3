import { minorDigits } from '@referral-ledger/core';

/** Minor units as a decimal amount with its currency, for explanations: `1800000, 'USD'` → `18000.00 USD`. */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const frac = abs - whole * scale;
  const text = digits > 0 ? `${whole}.${String(frac).padStart(digits, '0')}` : String(whole);
  return `${neg ? '-' : ''}${text} ${currency}`;
}
