/**
 * ISO 4217 minor-unit digits. Currencies not listed have 2 digits, which is what ISO 4217
 * gives the great majority of them; the exceptions below are the ones with 0, 3 or 4.
 */
const DIGITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** How many minor-unit digits a currency has (USD 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return DIGITS[currency] ?? 2;
}
