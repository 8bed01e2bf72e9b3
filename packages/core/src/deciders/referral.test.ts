import { describe, expect, it } from 'vitest';
import { resolveRuleSet } from '../rules/resolve.ts';
import { at, fixtures as f, type GivenEvent, given } from '../testing.ts';

const P1 = f.enrolled('P-1', { contactEmail: 'pm@acme.example', domain: 'acme.example' });
const P2 = f.enrolled('P-2', { contactEmail: 'sam@initech.example' });
const rules = (r: Record<string, unknown>) => resolveRuleSet(r);
const submitted = (referralId: string, partnerId: string, lead = {}): GivenEvent =>
  f.submitted(referralId, partnerId, lead);

describe('SubmitReferral', () => {
  it('appends ReferralSubmitted alone for a clean lead', () => {
    const cmd = f.submit('R-1', 'P-1');
    given([P1])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it('refuses a partner that is not enrolled', () => {
    const err = given([]).when(f.submit('R-1', 'P-9')).thenRefuses('partner.not-found');
    expect(err.message).toContain('EnrollPartner');
  });

  it('refuses an offboarded partner', () => {
    given([P1, { type: 'PartnerOffboarded', data: { partnerId: 'P-1', reason: 'contract ended' } }])
      .when(f.submit('R-1', 'P-1'))
      .thenRefuses('partner.offboarded');
  });

  it('refuses the reserved house id as a referrer', () => {
    given([]).when(f.submit('R-1', 'house')).thenRefuses('partner.reserved-id');
  });

  it('refuses a second submission under the same referral id', () => {
    given([P1, submitted('R-1', 'P-1')])
      .when(f.submit('R-1', 'P-1'))
      .thenRefuses('referral.already-submitted');
  });
});

describe('SubmitReferral duplicate check', () => {
  const cmd = f.submit('R-2', 'P-2');

  it('flags a lead whose email another referral registered within its window, naming it', () => {
    given([P1, P2, submitted('R-1', 'P-1')])
      .when(at('2026-01-20T00:00:00Z', cmd))
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
        },
      ]);
  });

  it('matches on the normalised email (case and spaces)', () => {
    const shouty = f.submit('R-2', 'P-2', { email: '  ANA@Globex.Example ', website: undefined });
    const out = given([P1, P2, submitted('R-1', 'P-1')])
      .when(shouty)
      .then([
        { type: 'ReferralSubmitted', data: shouty.data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
        },
      ]);
    expect(out).toHaveLength(2);
  });

  it('flags a lead on the same domain (other person) as matched on domain', () => {
    const other = f.submit('R-2', 'P-2', { email: 'bo@globex.example' });
    given([P1, P2, submitted('R-1', 'P-1')])
      .when(other)
      .then([
        { type: 'ReferralSubmitted', data: other.data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'domain' },
        },
      ]);
  });

  it('does not match two people on a free-mail domain', () => {
    const a = submitted('R-1', 'P-1', { email: 'ana@gmail.com' });
    const b = f.submit('R-2', 'P-2', { email: 'bo@gmail.com' });
    given([P1, P2, a])
      .when(b)
      .then([{ type: 'ReferralSubmitted', data: b.data }]);
  });

  it('does not match on domain when matchOn is only email', () => {
    const other = f.submit('R-2', 'P-2', { email: 'bo@globex.example' });
    given([P1, P2, submitted('R-1', 'P-1')])
      .when(other, { rules: rules({ registration: { matchOn: ['email'] } }) })
      .then([{ type: 'ReferralSubmitted', data: other.data }]);
  });

  it('ignores a rejected or withdrawn earlier referral', () => {
    const rejected: GivenEvent = {
      type: 'ReferralRejected',
      data: { referralId: 'R-1', reason: 'no fit', partnerExplanation: 'Out of region', approvedBy: 'PM-1' },
    };
    const withdrawn: GivenEvent = { type: 'ReferralWithdrawn', data: { referralId: 'R-1' } };
    given([P1, P2, submitted('R-1', 'P-1'), rejected])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
    given([P1, P2, submitted('R-1', 'P-1'), withdrawn])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it('flags inside the protection window and not once it has ended', () => {
    // Registered 2026-01-05T09:00Z; 60 days later is 2026-03-06T09:00Z, the first instant outside.
    const reg = submitted('R-1', 'P-1');
    const inside = given([P1, P2, reg]).when(at('2026-03-06T08:59:59Z', cmd));
    expect(
      inside.then([
        { type: 'ReferralSubmitted', data: cmd.data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
        },
      ]),
    ).toHaveLength(2);
    given([P1, P2, reg])
      .when(at('2026-03-06T09:00:00Z', cmd))
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it('names the earliest registration when several match', () => {
    given([
      P1,
      P2,
      at('2026-01-03T00:00:00Z', submitted('R-B', 'P-2', { email: 'bo@globex.example' })),
      at('2026-01-02T00:00:00Z', submitted('R-A', 'P-1')),
    ])
      .when(f.submit('R-3', 'P-1'))
      .then([
        { type: 'ReferralSubmitted', data: f.submit('R-3', 'P-1').data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-3', duplicateOf: { kind: 'referral', id: 'R-A' }, matchedOn: 'email' },
        },
      ]);
  });
});

describe('SubmitReferral quality flags', () => {
  const flagged = (referralId: string, flag: string, detail: string): GivenEvent =>
    ({ type: 'ReferralFlagged', data: { referralId, flag, detail } }) as GivenEvent;

  it("flags self-referral when the lead's email is the partner's contact email", () => {
    const cmd = f.submit('R-1', 'P-2', { email: 'Sam@Initech.example', website: 'https://globex.example' });
    given([P2])
      .when(cmd)
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'self-referral', "the lead's email is the partner's own contact email"),
      ]);
  });

  it("flags self-referral when the lead's website is the partner's own domain", () => {
    const cmd = f.submit('R-1', 'P-1', { email: 'x@gmail.com', website: 'https://www.acme.example/about' });
    given([P1])
      .when(cmd)
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'self-referral', "the lead's domain acme.example is the partner's own domain"),
      ]);
  });

  it("flags self-referral when the lead's domain is the partner's contact email domain", () => {
    const cmd = f.submit('R-1', 'P-2', { email: 'boss@initech.example' });
    given([P2])
      .when(cmd)
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'self-referral', "the lead's domain initech.example is the partner's own domain"),
      ]);
  });

  it('does not flag a look-alike domain of the partner', () => {
    const cmd = f.submit('R-1', 'P-1', { email: 'lee@acme-example.com' });
    given([P1])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it("does not treat a free-mail contact email's domain as the partner's domain", () => {
    const gmailPartner = f.enrolled('P-3', { contactEmail: 'jo@gmail.com' });
    const cmd = f.submit('R-1', 'P-3', { email: 'kim@gmail.com' });
    given([gmailPartner])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it('flags an excluded domain, and not another', () => {
    const r = rules({ registration: { excludedDomains: ['Globex.example'] } });
    const cmd = f.submit('R-1', 'P-2');
    given([P2])
      .when(cmd, { rules: r })
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'excluded-domain', 'globex.example is in registration.excludedDomains'),
      ]);
    const other = f.submit('R-1', 'P-2', { email: 'a@hooli.example' });
    given([P2])
      .when(other, { rules: r })
      .then([{ type: 'ReferralSubmitted', data: other.data }]);
  });

  it('flags an existing customer: a won opportunity on the domain', () => {
    const cmd = f.submit('R-1', 'P-2');
    given([P2, f.opened('O-1', 'www.globex.example'), f.won('O-1')])
      .when(cmd)
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'existing-customer', 'globex.example is already a customer (won opportunity O-1)'),
      ]);
  });

  it('flags an existing customer: a customer overlap on the domain', () => {
    const cmd = f.submit('R-1', 'P-2');
    const overlap: GivenEvent = {
      type: 'AccountOverlapDetected',
      data: {
        partnerId: 'P-1',
        accountDomain: 'globex.example',
        ourRelationship: 'customer',
        partnerRelationship: 'prospect',
        source: 'crossbeam',
      },
    };
    given([P1, P2, overlap])
      .when(cmd)
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged(
          'R-1',
          'existing-customer',
          'globex.example is already a customer (customer overlap reported by P-1)',
        ),
      ]);
  });

  it('does not flag an open or lost opportunity, nor a prospect overlap', () => {
    const cmd = f.submit('R-1', 'P-2');
    const lost: GivenEvent = { type: 'OpportunityLost', data: { opportunityId: 'O-2', reason: 'budget' } };
    const prospect: GivenEvent = {
      type: 'AccountOverlapDetected',
      data: {
        partnerId: 'P-1',
        accountDomain: 'globex.example',
        ourRelationship: 'prospect',
        partnerRelationship: 'customer',
        source: 'reveal',
      },
    };
    given([P1, P2, f.opened('O-1'), f.opened('O-2'), lost, prospect])
      .when(cmd)
      .then([{ type: 'ReferralSubmitted', data: cmd.data }]);
  });

  it('flags an incomplete lead naming the missing fields, and not a complete one', () => {
    const r = rules({ fit: { requiredLeadFields: ['phone', 'useCase', 'company'] } });
    const cmd = f.submit('R-1', 'P-2', { phone: ' ' });
    given([P2])
      .when(cmd, { rules: r })
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        flagged('R-1', 'incomplete', 'missing required lead field(s): phone, useCase'),
      ]);
    const full = f.submit('R-1', 'P-2', { phone: '+1 555 0100', useCase: 'billing' });
    given([P2])
      .when(full, { rules: r })
      .then([{ type: 'ReferralSubmitted', data: full.data }]);
  });

  it('raises several flags next to the duplicate, and never rejects', () => {
    const r = rules({ registration: { excludedDomains: ['acme.example'] } });
    const cmd = f.submit('R-2', 'P-1', { email: 'pm@acme.example' });
    given([P1, submitted('R-1', 'P-2', { email: 'pm@acme.example' })])
      .when(cmd, { rules: r })
      .then([
        { type: 'ReferralSubmitted', data: cmd.data },
        {
          type: 'ReferralDuplicateFlagged',
          data: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
        },
        flagged('R-2', 'self-referral', "the lead's email is the partner's own contact email"),
        flagged('R-2', 'excluded-domain', 'acme.example is in registration.excludedDomains'),
      ]);
  });
});

describe('referral lifecycle', () => {
  const base = [P1, submitted('R-1', 'P-1')];
  const accept = {
    type: 'AcceptReferral' as const,
    data: { referralId: 'R-1', salesOwnerId: 'U-1', feedbackOwnerId: 'U-2', approvedBy: 'PM-1' },
  };
  const reject = {
    type: 'RejectReferral' as const,
    data: {
      referralId: 'R-1',
      reason: 'no fit',
      partnerExplanation: 'Outside our regions',
      approvedBy: 'PM-1',
    },
  };
  const accepted: GivenEvent = { type: 'ReferralAccepted', data: accept.data };
  const rejected: GivenEvent = { type: 'ReferralRejected', data: reject.data };
  const withdrawn: GivenEvent = {
    type: 'ReferralWithdrawn',
    data: { referralId: 'R-1', reason: 'lead left' },
  };

  it('accepts a submitted referral', () => {
    given(base).when(accept).then([accepted]);
  });

  it('refuses a second acceptance and an acceptance after a rejection', () => {
    const err = given([...base, accepted])
      .when(accept)
      .thenRefuses('referral.already-decided');
    expect(err.message).toContain('already accepted');
    given([...base, rejected])
      .when(accept)
      .thenRefuses('referral.already-decided');
    given([...base, accepted])
      .when(reject)
      .thenRefuses('referral.already-decided');
  });

  it('refuses commands on a referral that was never submitted', () => {
    given([P1]).when(accept).thenRefuses('referral.not-found');
    given([P1])
      .when({ type: 'SendPartnerFeedback', data: { referralId: 'R-1', sentBy: 'U-2', message: 'Thanks' } })
      .thenRefuses('referral.not-found');
  });

  it('rejects with an approved partner-facing explanation', () => {
    given(base).when(reject).then([rejected]);
  });

  it('refuses a rejection without an explanation or without its approver', () => {
    const { partnerExplanation: _p, ...noExplanation } = reject.data;
    const err = given(base)
      .when({ type: 'RejectReferral', data: noExplanation })
      .thenRefuses('referral.explanation-required');
    expect(err.message).toContain('partnerExplanation');
    given(base)
      .when({ type: 'RejectReferral', data: { ...reject.data, partnerExplanation: '   ' } })
      .thenRefuses('referral.explanation-required');
    const { approvedBy: _a, ...noApprover } = reject.data;
    given(base)
      .when({ type: 'RejectReferral', data: noApprover })
      .thenRefuses('referral.explanation-required');
  });

  it('refuses to decide a withdrawn referral', () => {
    given([...base, withdrawn])
      .when(accept)
      .thenRefuses('referral.withdrawn');
  });

  it('changes owners, refusing a change that names none', () => {
    const change = {
      type: 'ChangeReferralOwner' as const,
      data: { referralId: 'R-1', salesOwnerId: 'U-9', changedBy: 'PM-1' },
    };
    given([...base, accepted])
      .when(change)
      .then([{ type: 'ReferralOwnerChanged', data: change.data }]);
    given([...base, accepted])
      .when({ type: 'ChangeReferralOwner', data: { referralId: 'R-1', changedBy: 'PM-1' } })
      .thenRefuses('referral.nothing-to-change');
  });

  it('records contact, refusing it on a rejected referral', () => {
    const contact = {
      type: 'RecordReferralContact' as const,
      data: { referralId: 'R-1', contactedBy: 'U-1', channel: 'phone' },
    };
    given([...base, accepted])
      .when(contact)
      .then([{ type: 'ReferralContacted', data: contact.data }]);
    given([...base, rejected])
      .when(contact)
      .thenRefuses('referral.rejected');
  });

  it('qualifies once', () => {
    const q = { type: 'QualifyReferral' as const, data: { referralId: 'R-1' } };
    given([...base, accepted])
      .when(q)
      .then([{ type: 'ReferralQualified', data: q.data }]);
    given([...base, accepted, { type: 'ReferralQualified', data: q.data }])
      .when(q)
      .thenRefuses('referral.already-qualified');
  });

  it('converts to an opened opportunity once', () => {
    const convert = { type: 'ConvertReferral' as const, data: { referralId: 'R-1', opportunityId: 'O-1' } };
    given([...base, accepted, f.opened('O-1')])
      .when(convert)
      .then([{ type: 'ReferralConverted', data: convert.data }]);
    given([...base, accepted])
      .when(convert)
      .thenRefuses('opportunity.not-found');
    given([...base, accepted, f.opened('O-1'), { type: 'ReferralConverted', data: convert.data }])
      .when(convert)
      .thenRefuses('referral.already-converted');
  });

  it('withdraws once, and not after conversion', () => {
    const w = { type: 'WithdrawReferral' as const, data: { referralId: 'R-1', reason: 'lead left' } };
    given(base).when(w).then([withdrawn]);
    given([...base, withdrawn])
      .when(w)
      .thenRefuses('referral.withdrawn');
    given([
      ...base,
      f.opened('O-1'),
      { type: 'ReferralConverted', data: { referralId: 'R-1', opportunityId: 'O-1' } },
    ])
      .when(w)
      .thenRefuses('referral.already-converted');
  });

  it('sends partner feedback in any state', () => {
    const fb = {
      type: 'SendPartnerFeedback' as const,
      data: { referralId: 'R-1', sentBy: 'U-2', message: 'Call booked' },
    };
    given([...base, rejected])
      .when(fb)
      .then([{ type: 'PartnerFeedbackSent', data: fb.data }]);
  });
});
