import type { z } from 'zod';
import type { DeepReadonly } from '../util/brand.ts';
import { commissionEvents, payoutEvents } from './commission.ts';
import { disputeEvents } from './dispute.ts';
import { guardEvents } from './guard.ts';
import { advocateEvents, fxEvents, overlapEvents, shareEvents, subjectEvents } from './exchange.ts';
import { opportunityEvents } from './opportunity.ts';
import { partnerEvents } from './partner.ts';
import { referralEvents } from './referral.ts';
import { ruleEvents } from './rules.ts';

/**
 * The event catalogue (SPEC §3.2): every event type, the zod schema of its `data`, and the
 * kind of stream it lives in. The schemas are the source of truth; types are inferred.
 */
export const eventSchemas = {
  ...ruleEvents,
  ...partnerEvents,
  ...referralEvents,
  ...opportunityEvents,
  ...disputeEvents,
  ...commissionEvents,
  ...payoutEvents,
  ...overlapEvents,
  ...shareEvents,
  ...subjectEvents,
  ...advocateEvents,
  ...fxEvents,
  ...guardEvents,
} as const;

export type EventType = keyof typeof eventSchemas;
export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

/** The `data` of an event type, deeply readonly. */
export type EventData<T extends EventType> = DeepReadonly<z.output<(typeof eventSchemas)[T]>>;

/** A domain event: its type and data, without the envelope. */
export type LedgerEvent = { [T in EventType]: { readonly type: T; readonly data: EventData<T> } }[EventType];
/** The event of one type. */
export type EventOfType<T extends EventType> = Extract<LedgerEvent, { type: T }>;

/** Stream kinds and the event types each one holds. */
export const streamKinds = {
  rules: Object.keys(ruleEvents),
  partner: Object.keys(partnerEvents),
  referral: Object.keys(referralEvents),
  opportunity: Object.keys(opportunityEvents),
  dispute: Object.keys(disputeEvents),
  commission: Object.keys(commissionEvents),
  payout: Object.keys(payoutEvents),
  overlap: Object.keys(overlapEvents),
  share: Object.keys(shareEvents),
  subject: Object.keys(subjectEvents),
  advocate: Object.keys(advocateEvents),
  fx: Object.keys(fxEvents),
  guard: Object.keys(guardEvents),
} as const satisfies Record<string, readonly string[]>;
export type StreamKind = keyof typeof streamKinds;

const kindOfType = new Map<string, StreamKind>();
for (const [kind, types] of Object.entries(streamKinds) as [StreamKind, readonly string[]][]) {
  for (const t of types) kindOfType.set(t, kind);
}

/** The kind of stream an event type belongs in (`ReferralSubmitted` → `referral`). */
export function streamKindOf(type: EventType): StreamKind {
  return kindOfType.get(type)!;
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

/** Which data field names the stream's id, per stream kind (`null` for singleton streams). */
export const streamIdField: Readonly<Record<StreamKind, string | null>> = {
  rules: null,
  partner: 'partnerId',
  referral: 'referralId',
  opportunity: 'opportunityId',
  dispute: 'disputeId',
  commission: 'opportunityId',
  payout: 'payoutId',
  overlap: 'partnerId',
  share: 'shareId',
  subject: 'subjectId',
  advocate: 'partnerId',
  fx: null,
  guard: 'key',
};

/**
 * One stream-name function per stream kind (SPEC §3.2).
 * @example streams.referral('R-1') // 'referral-R-1'
 */
export const streams = {
  rules: (): string => 'rules',
  partner: (partnerId: string): string => `partner-${partnerId}`,
  referral: (referralId: string): string => `referral-${referralId}`,
  opportunity: (opportunityId: string): string => `opportunity-${opportunityId}`,
  dispute: (disputeId: string): string => `dispute-${disputeId}`,
  commission: (opportunityId: string): string => `commission-${opportunityId}`,
  payout: (payoutId: string): string => `payout-${payoutId}`,
  overlap: (partnerId: string): string => `overlap-${partnerId}`,
  share: (shareId: string): string => `share-${shareId}`,
  subject: (subjectId: string): string => `subject-${subjectId}`,
  advocate: (partnerId: string): string => `advocate-${partnerId}`,
  fx: (): string => 'fx',
  /** Facade-internal guard streams (`guard-lead-<hash>`, `guard-payouts-<partnerId>`). */
  guard: (key: string): string => `guard-${key}`,
} as const satisfies Record<StreamKind, (...ids: string[]) => string>;

/** The stream an event belongs in, from its type and data. */
export function streamFor(event: LedgerEvent): string {
  const kind = streamKindOf(event.type);
  const field = streamIdField[kind];
  if (field === null) return kind;
  return `${kind}-${(event.data as Record<string, unknown>)[field] as string}`;
}
