import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeadFieldName } from '../events/partner.ts';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const P1 = f.enrolled('P-1');
const sharing = (leadFields: string[]): GivenEvent =>
  ({
    type: 'PartnerSharingSet',
    data: { partnerId: 'P-1', leadFields, overlapRelationships: ['customer'], setBy: 'PM-1' },
  }) as GivenEvent;
const lead = {
  firstName: 'Ana',
  lastName: 'Lima',
  email: 'ana@globex.example',
  company: 'Globex',
  phone: '+1 555',
};
const share = (extra: Record<string, unknown> = {}) => ({
  type: 'ShareLead' as const,
  data: {
    shareId: 'S-1',
    partnerId: 'P-1',
    accountDomain: 'globex.example',
    lead,
    reason: 'needs an implementation partner',
    sharedBy: 'U-1',
    ...extra,
  },
});
const sharedAs = (sharedLead: Record<string, unknown>): GivenEvent =>
  ({
    type: 'LeadShared',
    data: { ...share().data, lead: sharedLead },
  }) as GivenEvent;
const consent = (granted: boolean): GivenEvent => ({
  type: 'ConsentRecorded',
  data: { subjectId: 'subj-ana', scope: 'partner-sharing', granted, source: 'form' },
});

describe('share decider', () => {
  it("shares only the fields in the partner's leadFields", () => {
    given([P1, sharing(['company', 'phone', 'website'])])
      .when(share())
      .then([sharedAs({ company: 'Globex', phone: '+1 555' })]);
  });

  it('refuses a partner with no sharing settings', () => {
    const err = given([P1]).when(share()).thenRefuses('share.no-sharing-settings');
    expect(err.message).toContain('SetPartnerSharing');
  });

  it('refuses an offboarded partner, and an unknown one', () => {
    given([
      P1,
      sharing(['company']),
      { type: 'PartnerOffboarded', data: { partnerId: 'P-1', reason: 'ended' } },
    ])
      .when(share())
      .thenRefuses('share.partner-offboarded');
    given([]).when(share()).thenRefuses('partner.not-found');
  });

  it('refuses a lead whose subject withdrew partner-sharing consent, saying so', () => {
    const err = given([P1, sharing(['company']), consent(true), consent(false)])
      .when(share({ subjectId: 'subj-ana' }))
      .thenRefuses('share.consent-withdrawn');
    expect(err.message).toContain('withdrew partner-sharing consent');
    given([P1, sharing(['company']), consent(true)])
      .when(share({ subjectId: 'subj-ana' }))
      .then([sharedAs({ company: 'Globex' })]);
  });

  it('uses the subject id the facade derived from the email', () => {
    given([P1, sharing(['company']), consent(false)])
      .when(share(), { subjectId: 'subj-ana' })
      .thenRefuses('share.consent-withdrawn');
  });

  it('never carries a field outside the partner leadFields (property)', () => {
    const fields = LeadFieldName.options;
    fc.assert(
      fc.property(fc.subarray([...fields]), (allowed) => {
        const out = given([P1, sharing(allowed)])
          .when(share())
          .then([
            sharedAs(Object.fromEntries(Object.entries(lead).filter(([k]) => allowed.includes(k as never)))),
          ]);
        const shared = (out[0]!.data as { lead: Record<string, unknown> }).lead;
        for (const k of Object.keys(shared)) expect(allowed).toContain(k);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a reused share id', () => {
    given([P1, sharing(['company']), sharedAs({ company: 'Globex' })])
      .when(share())
      .thenRefuses('share.already-shared');
  });

  it('records one response, and outcomes until won or lost', () => {
    const base = [P1, sharing(['company']), sharedAs({ company: 'Globex' })];
    const respond = (response: 'accepted' | 'declined') => ({
      type: 'RespondToSharedLead' as const,
      data: { shareId: 'S-1', response },
    });
    const outcome = (o: 'contacted' | 'won') => ({
      type: 'RecordSharedLeadOutcome' as const,
      data: { shareId: 'S-1', outcome: o },
    });
    given(base)
      .when(respond('accepted'))
      .then([{ type: 'SharedLeadResponded', data: respond('accepted').data }]);
    given([...base, { type: 'SharedLeadResponded', data: respond('accepted').data }])
      .when(respond('declined'))
      .thenRefuses('share.already-responded');
    given([...base, { type: 'SharedLeadResponded', data: respond('declined').data }])
      .when(outcome('won'))
      .thenRefuses('share.declined');
    given([...base, { type: 'SharedLeadOutcome', data: outcome('won').data }])
      .when(outcome('contacted'))
      .thenRefuses('share.already-closed');
    given(base)
      .when(outcome('contacted'))
      .then([{ type: 'SharedLeadOutcome', data: outcome('contacted').data }]);
    given([P1]).when(respond('accepted')).thenRefuses('share.not-found');
  });
});
