/**
 * @referral-ledger/projections: pure reducers from the event log (plus rule sets) to every
 * view of SPEC §7, with as-of / known-at replay, explain and diff.
 */
export * from './attribution/index.ts';
export * from './audit/index.ts';
export * from './match-keys.ts';
export * from './model.ts';
export * from './portal/partner-view.ts';
export * from './state.ts';
export * from './time.ts';
export * from './version.ts';
export * from './commission/index.ts';
export * from './advocacy/index.ts';
export * from './exchange/index.ts';
export * from './funnel/index.ts';
export * from './kpis/index.ts';
export * from './referrals/index.ts';
export * from './sla/index.ts';
