import { describe, it } from 'vitest';
import { given } from '../testing.ts';

const data = { subjectId: 'subj-1', scope: 'partner-sharing' as const, granted: false, source: 'email' };

describe('subject decider', () => {
  it('records consent given or withdrawn', () => {
    given([])
      .when({ type: 'RecordConsent', data })
      .then([{ type: 'ConsentRecorded', data }]);
  });

  it('takes the subject id the facade derived from an email, and never stores the email', () => {
    const { subjectId: _s, ...rest } = data;
    given([])
      .when(
        { type: 'RecordConsent', data: { ...rest, email: 'ana@globex.example' } },
        { subjectId: 'subj-2' },
      )
      .then([{ type: 'ConsentRecorded', data: { ...data, subjectId: 'subj-2' } }]);
  });

  it('refuses consent without a subject', () => {
    const { subjectId: _s, ...rest } = data;
    given([]).when({ type: 'RecordConsent', data: rest }).thenRefuses('subject.id-required');
  });

  it('refuses a subject id holding personal data', () => {
    given([])
      .when({ type: 'RecordConsent', data: { ...data, subjectId: 'ana@globex.example' } })
      .thenRefuses('subject.personal-data-in-id');
  });
});
