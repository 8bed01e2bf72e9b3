/** Every event's data schema by name, and the shared value schemas (`Lead`, `Credit`, ...). */
export * from './commission.ts';
export * from './dispute.ts';
export * from './exchange.ts';
export * from './guard.ts';
export * from './opportunity.ts';
export * from './partner.ts';
export * from './referral.ts';
export * from './rules.ts';
