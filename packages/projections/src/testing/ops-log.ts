import {
  type EventType,
  type LedgerEvent,
  parseEvent,
  type RecordedEvent,
  streamFor,
} from '@referral-ledger/core';
import { buildModel, type LedgerModel, type ReplayOptions } from '../model.ts';

/** One event of a hand-written test log: its type, data and business time. */
export interface LogLine {
  readonly type: EventType;
  readonly data: Record<string, unknown>;
  readonly at: string;
}

/**
 * Turn hand-written lines into stored events (validated like an import, positions 1, 2, …
 * in the order given) — for tests of the views.
 *
 * @example
 * recorded([{ type: 'PartnerEnrolled', data: {...}, at: '2026-01-01T00:00:00Z' }])
 */
export function recorded(lines: readonly LogLine[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return lines.map((l, i) => {
    const streamId = streamFor({ type: l.type, data: l.data } as unknown as LedgerEvent);
    const { event } = parseEvent({ streamId, type: l.type, data: l.data, metadata: { occurredAt: l.at } });
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return { ...event, revision, position: i + 1 } as unknown as RecordedEvent;
  });
}

/** Build a finished model from hand-written lines. */
export function modelOf(lines: readonly LogLine[], options: ReplayOptions = {}): LedgerModel {
  return buildModel(recorded(lines), options);
}

/** Line builders for the common events of the tests. */
export const ev = {
  enrol(partnerId: string, at: string, extra: Record<string, unknown> = {}): LogLine {
    return {
      type: 'PartnerEnrolled',
      at,
      data: {
        partnerId,
        name: `Partner ${partnerId}`,
        program: 'partner',
        tier: 'bronze',
        contactEmail: `${partnerId.toLowerCase()}@partners.example`,
        payoutCurrency: 'USD',
        ...extra,
      },
    };
  },
  submit(referralId: string, partnerId: string, at: string, lead: Record<string, unknown> = {}): LogLine {
    return {
      type: 'ReferralSubmitted',
      at,
      data: {
        referralId,
        partnerId,
        channel: 'portal',
        lead: {
          firstName: 'Ada',
          lastName: 'Lane',
          email: `ada@${referralId.toLowerCase()}.example`,
          company: `Co ${referralId}`,
          ...lead,
        },
      },
    };
  },
  on(type: EventType, at: string, data: Record<string, unknown>): LogLine {
    return { type, at, data };
  },
  rules(rules: Record<string, unknown>, at = '2020-01-01T00:00:00Z'): LogLine {
    return { type: 'RuleSetPublished', at, data: { version: 'test', effectiveFrom: at, rules } };
  },
};
