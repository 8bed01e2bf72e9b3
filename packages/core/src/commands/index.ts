/** Commands (the shared command list): zod schemas by aggregate, the `Command` union, `parseCommand`. */
export * from './advocate.ts';
export * from './catalogue.ts';
export * from './commission.ts';
export * from './dispute.ts';
export * from './fx.ts';
export * from './metadata.ts';
export * from './opportunity.ts';
export * from './overlap.ts';
export * from './partner.ts';
export * from './payout.ts';
export * from './referral.ts';
export * from './rules.ts';
export * from './share.ts';
export * from './subject.ts';
