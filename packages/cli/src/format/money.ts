import { minorDigits } from '@referral-ledger/core';

/** `1800000, 'USD'` → `18,000.00 USD` for people (JSON keeps integer minor units). */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '';
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const frac = abs - whole * scale;
  const wholeText = whole.toLocaleString('en-US');
  const text = digits > 0 ? `${wholeText}.${String(frac).padStart(digits, '0')}` : wholeText;
  return `${neg ? '-' : ''}${text} ${currency}`;
}

export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '';
  return `${(share * 100).toFixed(2)} %`;
}

export function formatBps(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '';
  return `${(rate / 100).toFixed(2)} %`;
}
