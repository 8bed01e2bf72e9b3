import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapIngestPayload } from './map.ts';

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/);

/** A Tally body with generated contact fields and response id. */
const tallyBody = fc
  .record({
    responseId: word,
    first: word,
    last: word,
    user: word,
    company: word,
    size: fc.nat({ max: 10 ** 9 }),
  })
  .map((r) =>
    JSON.stringify({
      eventId: `evt-${r.responseId}`,
      eventType: 'FORM_RESPONSE',
      createdAt: '2026-01-06T10:15:02.000Z',
      data: {
        responseId: r.responseId,
        formId: 'VwbNEw',
        createdAt: '2026-01-06T10:15:00.000Z',
        fields: [
          { key: 'q1', label: 'First name', type: 'INPUT_TEXT', value: r.first },
          { key: 'q2', label: 'Last name', type: 'INPUT_TEXT', value: r.last },
          { key: 'q3', label: 'Email', type: 'INPUT_EMAIL', value: `${r.user}@example.com` },
          { key: 'q4', label: 'Company', type: 'INPUT_TEXT', value: r.company },
          { key: 'q5', label: 'Estimated deal size', type: 'INPUT_NUMBER', value: r.size },
          { key: 'q6', label: 'partner_id', type: 'HIDDEN_FIELDS', value: 'P-1' },
        ],
      },
    }),
  );

describe('mapping is a pure function of the payload', () => {
  it('maps the same payload to the same commands, ids included, every time', () => {
    fc.assert(
      fc.property(tallyBody, (body) => {
        expect(mapIngestPayload('tally', body)).toEqual(mapIngestPayload('tally', body));
      }),
    );
  });

  it('gives different submissions different event ids, and whole-unit estimates exact minor units', () => {
    fc.assert(
      fc.property(tallyBody, tallyBody, (a, b) => {
        const [ca] = mapIngestPayload('tally', a);
        const [cb] = mapIngestPayload('tally', b);
        const ra = JSON.parse(a).data.responseId;
        const rb = JSON.parse(b).data.responseId;
        expect(ca!.metadata.eventId === cb!.metadata.eventId).toBe(ra === rb);
        const size = JSON.parse(a).data.fields[4].value as number;
        expect(ca!.data).toMatchObject({ lead: { estimatedValue: { amount: size * 100, currency: 'USD' } } });
      }),
    );
  });
});
