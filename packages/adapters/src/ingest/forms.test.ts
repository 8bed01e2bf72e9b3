import { readFileSync } from 'node:fs';
import { ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { ingestEventId } from './command.ts';
import { mapTally } from './tally.ts';
import { mapTypeform } from './typeform.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('Typeform form_response', () => {
  it('maps the playbook fields by ref or title, the partner and submitter from hidden fields', () => {
    expect(mapTypeform(fixture('typeform/form-response.json'))).toEqual([
      {
        type: 'SubmitReferral',
        data: {
          referralId: 'typeform-a3a12ec67a1365927098a606107fac15',
          partnerId: 'P-1',
          channel: 'form',
          submittedBy: 'alice@partner-one.example',
          lead: {
            firstName: 'Jane',
            lastName: 'Doe',
            email: 'jane.doe@acme.example',
            company: 'Acme',
            phone: '+15550100',
            website: 'https://www.acme.example',
            estimatedValue: { amount: 12000000, currency: 'USD' },
            timeline: 'Next quarter',
            howMet: 'Met at SaaStr',
            notes: 'Warm intro, budget approved',
          },
        },
        metadata: {
          eventId: ingestEventId('typeform', 'form', 'lT4Z3j', 'a3a12ec67a1365927098a606107fac15'),
          occurredAt: '2026-01-05T09:00:00.000Z',
          actor: { kind: 'partner', id: 'P-1' },
        },
      },
    ]);
  });

  it('takes the partner from the login when there is no hidden field', () => {
    const p = fixture('typeform/form-response.json') as { form_response: { hidden?: unknown } };
    delete p.form_response.hidden;
    expect(mapTypeform(p, { partner: 'P-9' })[0]!.data).toMatchObject({ partnerId: 'P-9' });
    expect(refusal(() => mapTypeform(p)).path).toBe('form_response.answers.partnerId');
  });

  it('refuses another event type, a missing required field and a bad estimate, naming each', () => {
    const other = fixture('typeform/form-response.json');
    other.event_type = 'form_partial_response';
    expect(refusal(() => mapTypeform(other)).path).toBe('event_type');
    const p = fixture('typeform/form-response.json') as {
      form_response: { answers: { field: { ref: string } }[] };
    };
    p.form_response.answers = p.form_response.answers.filter((a) => a.field.ref !== 'company');
    expect(refusal(() => mapTypeform(p)).path).toBe('form_response.answers.company');
    const bad = fixture('typeform/form-response.json') as {
      form_response: { answers: Record<string, unknown>[] };
    };
    bad.form_response.answers[6] = { ...bad.form_response.answers[6], type: 'text', text: 'big' };
    expect(refusal(() => mapTypeform(bad)).path).toBe('form_response.answers[6].text');
  });

  it('refuses a malformed email with the lead field path', () => {
    const p = fixture('typeform/form-response.json') as {
      form_response: { answers: Record<string, unknown>[] };
    };
    p.form_response.answers[2] = { ...p.form_response.answers[2], email: 'not-an-email' };
    expect(refusal(() => mapTypeform(p)).path).toBe('form_response.lead.email');
  });
});

describe('Tally FORM_RESPONSE', () => {
  it('maps labelled fields, option ids to texts, the hidden partner, and skips unanswered ones', () => {
    const [cmd, ...rest] = mapTally(fixture('tally/form-response.json'));
    expect(rest).toEqual([]);
    expect(cmd).toEqual({
      type: 'SubmitReferral',
      data: {
        referralId: 'tally-2wgx4n',
        partnerId: 'P-2',
        channel: 'form',
        lead: {
          firstName: 'Tom',
          lastName: 'Smykowski',
          email: 'tom@initrode.example',
          company: 'Initrode',
          title: 'Product lead',
          estimatedValue: { amount: 4500050, currency: 'USD' },
          useCase: 'Customer onboarding',
          notes: 'Evaluating vendors in Q1',
        },
      },
      metadata: {
        eventId: ingestEventId('tally', 'form', 'VwbNEw', '2wgx4n'),
        occurredAt: '2026-01-06T10:15:00.000Z',
        actor: { kind: 'partner', id: 'P-2' },
      },
    });
  });

  it('maps the same payload to the same id twice (idempotent replay)', () => {
    const a = mapTally(fixture('tally/form-response.json'));
    const b = mapTally(fixture('tally/form-response.json'));
    expect(b).toEqual(a);
  });

  it('accepts a relabelled field through fieldNames, in another currency', () => {
    const p = fixture('tally/form-response.json') as { data: { fields: { label: string }[] } };
    p.data.fields[5]!.label = 'Budget';
    const cmd = mapTally(p, { fieldNames: { estimatedValue: ['Budget'] }, currency: 'JPY' })[0]!;
    expect(cmd.data).toMatchObject({ lead: { estimatedValue: { amount: 45001, currency: 'JPY' } } });
  });

  it('refuses another event type and a missing required field, naming them', () => {
    const other = fixture('tally/form-response.json');
    other.eventType = 'FORM_CREATED';
    expect(refusal(() => mapTally(other)).path).toBe('eventType');
    const p = fixture('tally/form-response.json') as { data: { fields: { label: string }[] } };
    p.data.fields = p.data.fields.filter((f) => f.label !== 'Email');
    expect(refusal(() => mapTally(p)).path).toBe('data.fields.email');
    const noFields = fixture('tally/form-response.json') as { data: Record<string, unknown> };
    delete noFields.data.fields;
    expect(refusal(() => mapTally(noFields)).path).toBe('data.fields');
  });
});
