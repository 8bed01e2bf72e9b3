import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRuleSet } from '../rules/resolve.ts';
import { fixtures as f, type GivenEvent, given } from '../testing.ts';

const domains = ['acme.example', 'globex.example', 'gmail.com', 'acme-example.com', 'initech.example'];
const email = fc
  .tuple(
    fc.constantFrom('ana', 'bo', 'pm', 'kim'),
    fc.constantFrom(...domains),
    fc.constantFrom('', ' ', 'X'),
  )
  .map(([local, domain, noise]) =>
    noise === 'X' ? `${local}@${domain}`.toUpperCase() : `${noise}${local}@${domain}`,
  );
const lead = fc.record(
  {
    email,
    website: fc.constantFrom(...domains.map((d) => `https://www.${d}/`)),
    phone: fc.constantFrom('', '+1 555 0100'),
  },
  { requiredKeys: ['email'] },
);
/** Earlier events on other streams: registrations, wins, overlaps, in any mix. */
const history = fc.array(
  fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 99 }), lead)
      .map(([i, l]): GivenEvent => f.submitted(`R-old-${i}`, 'P-1', l)),
    fc.constantFrom(...domains).map((d): GivenEvent[] => [f.opened(`O-${d}`, d), f.won(`O-${d}`)]),
    fc.constantFrom(...domains).map(
      (d): GivenEvent => ({
        type: 'AccountOverlapDetected',
        data: {
          partnerId: 'P-1',
          accountDomain: d,
          ourRelationship: 'customer',
          partnerRelationship: 'prospect',
          source: 'manual',
        },
      }),
    ),
  ),
  { maxLength: 8 },
);

describe('SubmitReferral (property)', () => {
  it('never refuses an active partner: it appends the submission first, then at most one duplicate and one flag of each kind', () => {
    const rules = resolveRuleSet({
      registration: { excludedDomains: ['initech.example'] },
      fit: { requiredLeadFields: ['phone'] },
    });
    fc.assert(
      fc.property(history, lead, (past, l) => {
        const seen = new Set<string>();
        const events = [f.enrolled('P-1', { domain: 'acme.example', contactEmail: 'pm@acme.example' })];
        for (const e of past.flat()) {
          const key = JSON.stringify([e.type, (e.data as Record<string, unknown>).referralId ?? e.data]);
          if (!seen.has(key)) events.push(e);
          seen.add(key);
        }
        const cmd = f.submit('R-new', 'P-1', l);
        const out = given(events).when(cmd, { rules }).events();
        expect(out[0]).toMatchObject({
          type: 'ReferralSubmitted',
          data: { referralId: 'R-new', partnerId: 'P-1' },
          streamId: 'referral-R-new',
        });
        const rest = out.slice(1);
        expect(rest.filter((e) => e.type === 'ReferralDuplicateFlagged').length).toBeLessThanOrEqual(1);
        const flags = rest
          .filter((e) => e.type === 'ReferralFlagged')
          .map((e) => (e.data as { flag: string }).flag);
        expect(new Set(flags).size).toBe(flags.length);
        for (const e of rest) expect(['ReferralDuplicateFlagged', 'ReferralFlagged']).toContain(e.type);
        // The look-alike and free-mail domains are never the partner's own.
        const host = l.website ? new URL(l.website).hostname.replace(/^www\./, '') : null;
        const ownEmail = l.email.trim().toLowerCase() === 'pm@acme.example';
        expect(flags.includes('self-referral')).toBe(
          ownEmail ||
            host === 'acme.example' ||
            (host === null && l.email.trim().toLowerCase().endsWith('@acme.example')),
        );
        expect(flags.includes('incomplete')).toBe(!l.phone);
      }),
      { numRuns: 200 },
    );
  });
});
