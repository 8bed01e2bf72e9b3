import { minorDigits } from '@referral-ledger/core';

/**
 * `n.toLocaleString('en-US')` for a non-negative safe integer: `1234567` → `1,234,567`.
 * Reports format a figure per row, and `Intl` formatting dominated their build time.
 */
function groupThousands(n: number): string {
  const digits = String(n);
  let head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (; head < digits.length; head += 3) out += `,${digits.slice(head, head + 3)}`;
  return out;
}

/** `1800000, 'USD'` → `18,000.00 USD` for people (JSON keeps integer minor units). */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '';
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const abs = Math.abs(amount);
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const frac = abs - whole * scale;
  const wholeText = whole < 1e15 ? groupThousands(whole) : whole.toLocaleString('en-US');
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
