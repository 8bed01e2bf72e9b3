/**
 * @referral-ledger/core: the event catalogue, rule sets, money, deciders, the event-store
 * interface with its in-memory implementation, the embedding facade and NDJSON interchange.
 */
export * from './errors.ts';
export * from './ids.ts';
export type { Brand, DeepReadonly } from './util/brand.ts';
export { canonicalJson } from './util/canonical-json.ts';
export { uuidV5, isUuid, randomUuid, EVENT_ID_NAMESPACE } from './util/uuid.ts';
export { sha1 } from './util/sha1.ts';
export { zodIssues } from './util/zod-issues.ts';

export * from './money/money.ts';
export * from './money/allocate.ts';
export * from './money/convert.ts';
export * from './money/currencies.ts';

export * from './events/common.ts';
export * from './events/catalogue.ts';
export * from './events/envelope.ts';
export * from './events/upcasters.ts';
export * as schemas from './events/schemas.ts';

export * from './rules/schema.ts';
export * from './rules/defaults.ts';
export * from './rules/resolve.ts';

export * from './store/types.ts';
export * from './store/append-plan.ts';
export * from './store/memory.ts';
export { Subscriptions } from './store/subscriptions.ts';

export * from './ndjson.ts';

export * from './normalise.ts';
export * from './commands/index.ts';
export * from './deciders/decision.ts';
export * from './deciders/index.ts';
export * from './deciders/advocate.ts';
export * from './deciders/commission.ts';
export * from './deciders/dispute.ts';
export * from './deciders/fx.ts';
export * from './deciders/opportunity.ts';
export * from './deciders/overlap.ts';
export * from './deciders/partner.ts';
export * from './deciders/payout.ts';
export * from './deciders/referral.ts';
export * from './deciders/rules.ts';
export * from './deciders/share.ts';
export * from './deciders/subject.ts';
export * from './ledger/key-hasher.ts';
export * from './ledger/lookup-index.ts';
export * from './ledger.ts';
