import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { parseNdjson } from '../ndjson.ts';
import { parseEvent } from './envelope.ts';

const line = {
  streamId: 'referral-R-1',
  type: 'ReferralSubmitted',
  data: {
    referralId: 'R-1',
    partnerId: 'P-1',
    channel: 'portal',
    lead: { firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', company: 'Acme' },
  },
  metadata: { occurredAt: '2026-01-05T09:00:00Z' },
};

function errorOf(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('parseEvent (SPEC §3.1)', () => {
  it('derives the same event id from the same content and defaults recordedAt to occurredAt', () => {
    const a = parseEvent(structuredClone(line)).event;
    const b = parseEvent(structuredClone(line)).event;
    expect(a.metadata.eventId).toBe(b.metadata.eventId);
    expect(a.metadata.eventId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(a.metadata.recordedAt).toBe('2026-01-05T09:00:00Z');
    const other = parseEvent({ ...line, metadata: { occurredAt: '2026-01-05T09:00:01Z' } }).event;
    expect(other.metadata.eventId).not.toBe(a.metadata.eventId);
  });

  it('keeps a given event id', () => {
    const id = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(parseEvent({ ...line, metadata: { ...line.metadata, eventId: id } }).event.metadata.eventId).toBe(
      id,
    );
  });

  it('refuses an unknown type', () => {
    const e = errorOf(() =>
      parseEvent({ ...line, type: 'ReferralTeleported' }, { file: 'log.ndjson', line: 4 }),
    );
    expect(e.message).toBe('log.ndjson, line 4: unknown event type "ReferralTeleported"');
  });

  it('names the field path of a missing or ill-typed field', () => {
    const missing = errorOf(() =>
      parseEvent(
        { ...line, data: { ...line.data, lead: { ...line.data.lead, company: undefined } } },
        { line: 2 },
      ),
    );
    expect(missing.message).toContain('line 2: ReferralSubmitted: data.lead.company');
    const typed = errorOf(() => parseEvent({ ...line, data: { ...line.data, channel: 'pigeon' } }));
    expect(typed.path).toBe('data.channel');
  });

  it('refuses a bad timestamp and a timestamp without offset', () => {
    expect(errorOf(() => parseEvent({ ...line, metadata: { occurredAt: 'yesterday' } })).path).toBe(
      'metadata.occurredAt',
    );
    expect(errorOf(() => parseEvent({ ...line, metadata: { occurredAt: '2026-01-05T09:00:00' } })).path).toBe(
      'metadata.occurredAt',
    );
  });

  it('refuses an event in the wrong stream and unknown data fields', () => {
    expect(errorOf(() => parseEvent({ ...line, streamId: 'referral-R-2' })).message).toContain(
      'belongs in stream "referral-R-1"',
    );
    expect(errorOf(() => parseEvent({ ...line, data: { ...line.data, colour: 'red' } })).message).toContain(
      'colour',
    );
  });

  it('refuses money that is not integer minor units', () => {
    const e = errorOf(() =>
      parseEvent({
        streamId: 'opportunity-O-1',
        type: 'OpportunityWon',
        data: { opportunityId: 'O-1', value: { amount: 100.5, currency: 'USD' } },
        metadata: { occurredAt: '2026-01-05T09:00:00Z' },
      }),
    );
    expect(e.path).toBe('data.value.amount');
  });
});

describe('parseNdjson', () => {
  it('reports every bad line, the first one in the message, and returns nothing', () => {
    const text = [JSON.stringify(line), '{not json', '', JSON.stringify({ ...line, type: 'Nope' })].join(
      '\n',
    );
    const e = errorOf(() => parseNdjson(text, { file: 'x.ndjson' }));
    expect(e.message).toMatch(/^x\.ndjson, line 2: not valid JSON/);
    expect(e.message).toContain('and 1 more bad line');
    expect(e.issues.map((i) => i.path)).toEqual(['line 2: ', 'line 4: type']);
  });
});
