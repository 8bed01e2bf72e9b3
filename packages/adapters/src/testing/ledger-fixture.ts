import { type NewEvent, randomUuid } from '@referral-ledger/core';

const day = 86_400_000;
const at = (base: number, days: number) => new Date(base + days * day).toISOString();

/**
 * A small, valid referral programme for store tests and benchmarks: per partner `i`, a
 * partner stream (enrolled, then tier changes), a referral and an opportunity on the
 * referred domain that is won. Event ids are random unless `seed` makes them repeatable.
 *
 * @example const writes = ledgerFixture(3); // 3 partners, 4 streams each
 */
export function ledgerFixture(
  partners: number,
  options: { tierChanges?: number; start?: string; idPrefix?: string } = {},
): { streamId: string; events: NewEvent[] }[] {
  const base = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  const p = options.idPrefix ?? '';
  const out: { streamId: string; events: NewEvent[] }[] = [];
  for (let i = 0; i < partners; i++) {
    const partnerId = `${p}P-${i}`;
    const domain = `${p.toLowerCase()}acct-${i}.example`;
    const ev = (streamId: string, type: string, data: unknown, days: number): NewEvent =>
      ({
        streamId,
        type,
        data,
        metadata: { eventId: randomUuid(), occurredAt: at(base, days) },
      }) as unknown as NewEvent;
    const partner = [
      ev(
        `partner-${partnerId}`,
        'PartnerEnrolled',
        {
          partnerId,
          name: `Partner ${partnerId}`,
          program: 'partner',
          tier: 'silver',
          contactEmail: `p${i}@partners.example`,
          payoutCurrency: 'USD',
        },
        0,
      ),
    ];
    for (let t = 0; t < (options.tierChanges ?? 0); t++) {
      partner.push(
        ev(
          `partner-${partnerId}`,
          'PartnerTierChanged',
          { partnerId, tier: t % 2 ? 'silver' : 'gold', reason: `review ${t}` },
          1 + t,
        ),
      );
    }
    out.push({ streamId: `partner-${partnerId}`, events: partner });
    out.push({
      streamId: `referral-${p}R-${i}`,
      events: [
        ev(
          `referral-${p}R-${i}`,
          'ReferralSubmitted',
          {
            referralId: `${p}R-${i}`,
            partnerId,
            channel: 'portal',
            lead: { firstName: 'Jane', lastName: `Doe${i}`, email: `jane@${domain}`, company: `Acct ${i}` },
          },
          2,
        ),
      ],
    });
    const opp = `opportunity-${p}O-${i}`;
    out.push({
      streamId: opp,
      events: [
        ev(
          opp,
          'OpportunityOpened',
          {
            opportunityId: `${p}O-${i}`,
            accountDomain: domain,
            accountName: `Acct ${i}`,
            value: { amount: 1_000_000 + i * 100, currency: 'USD' },
            ownerId: 'rep-1',
          },
          10,
        ),
        ev(
          opp,
          'OpportunityWon',
          { opportunityId: `${p}O-${i}`, value: { amount: 1_200_000 + i * 100, currency: 'USD' } },
          30,
        ),
      ],
    });
  }
  return out;
}
