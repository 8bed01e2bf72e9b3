export { type PayPalOptions, type PayPalPayoutBatch, paypalPayoutBatch } from './paypal.ts';
export { type StripeOptions, type StripeTransferRequest, stripeTransfers } from './stripe.ts';
export { decimalString, type PayoutToSend } from './types.ts';
export { WISE_COLUMNS, type WiseOptions, wiseBatchCsv } from './wise.ts';
