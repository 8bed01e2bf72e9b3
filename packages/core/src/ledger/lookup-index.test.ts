import { describe, expect, it } from 'vitest';
import type { GivenEvent } from '../testing.ts';
import { at, fixtures as f } from '../testing.ts';
import { LookupIndex } from './lookup-index.ts';
import { validateEventData, type RecordedEvent } from '../events/envelope.ts';
import { type LedgerEvent, streamFor } from '../events/catalogue.ts';

function indexOf(events: GivenEvent[]): LookupIndex {
  const index = new LookupIndex();
  events.forEach((e, i) => {
    const ev = { type: e.type, data: validateEventData(e.type, e.data) } as LedgerEvent;
    const occurredAt = e.metadata?.occurredAt ?? '2026-01-05T09:00:00Z';
    index.apply({
      ...ev,
      streamId: streamFor(ev),
      metadata: { eventId: `e${i}`, occurredAt, recordedAt: occurredAt },
      revision: 0,
      position: i + 1,
    } as RecordedEvent);
  });
  return index;
}

const publish = (version: string, effectiveFrom: string, protectionDays: number): GivenEvent => ({
  type: 'RuleSetPublished',
  data: { version, effectiveFrom, rules: { registration: { protectionDays } } },
});
const consent = (granted: boolean, when: string): GivenEvent =>
  at(when, {
    type: 'ConsentRecorded',
    data: { subjectId: 's-1', scope: 'partner-sharing', granted, source: 'form' },
  });

describe('LookupIndex', () => {
  it('uses the publication with the latest effectiveFrom at or before now, else the defaults', () => {
    const index = indexOf([
      publish('v2', '2026-03-01T00:00:00Z', 90),
      publish('v1', '2026-01-01T00:00:00Z', 30),
    ]);
    expect(index.rulesAt('2025-12-31T23:59:59Z').version).toBe('default');
    expect(index.rulesAt('2026-02-01T00:00:00Z').registration.protectionDays).toBe(30);
    expect(index.rulesAt('2026-03-01T00:00:00Z').registration.protectionDays).toBe(90);
  });

  it('orders consent by business time, then position, up to now', () => {
    // Appended last but happened first: the withdrawal on 1 Feb still wins from 1 Feb on.
    const index = indexOf([consent(false, '2026-02-01T00:00:00Z'), consent(true, '2026-01-01T00:00:00Z')]);
    expect(index.consentAt('s-1', 'partner-sharing', '2026-01-15T00:00:00Z')).toBe(true);
    expect(index.consentAt('s-1', 'partner-sharing', '2026-02-01T00:00:00Z')).toBe(false);
    expect(index.consentAt('s-1', 'contact', '2026-02-01T00:00:00Z')).toBeNull();
    expect(index.consentAt('s-2', 'partner-sharing', '2026-02-01T00:00:00Z')).toBeNull();
  });

  it('files registrations by normalised email and domain, with their status', () => {
    const index = indexOf([
      f.enrolled('P-1'),
      f.submitted('R-1', 'P-1', { email: ' Ana@Globex.example', website: 'https://www.globex.example' }),
      f.submitted('R-2', 'P-1', { email: 'bo@globex.example' }),
      { type: 'ReferralWithdrawn', data: { referralId: 'R-2' } },
    ]);
    const regs = index.registrations({ email: 'ana@globex.example', domain: 'globex.example' });
    expect(regs.email.map((r) => r.referralId)).toEqual(['R-1']);
    expect(regs.domain.map((r) => [r.referralId, r.status])).toEqual([
      ['R-1', 'open'],
      ['R-2', 'withdrawn'],
    ]);
  });

  it('finds a registration by its guard key alone (what survives erasure)', () => {
    const index = indexOf([
      f.enrolled('P-1'),
      f.submitted('R-1', 'P-1'),
      { type: 'GuardClaimed', data: { key: 'lead-abc', claimedBy: 'R-1' } },
    ]);
    expect(index.registrations({ emailKey: 'lead-abc' }).email.map((r) => r.referralId)).toEqual(['R-1']);
  });
});
