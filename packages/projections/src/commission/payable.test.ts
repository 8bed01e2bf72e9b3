import { createLedger, getInMemoryEventStore } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { storePayable } from './payable.ts';

describe('storePayable as the facade policy', () => {
  it('lets a payout up to what is payable through and refuses one above it', async () => {
    const store = getInMemoryEventStore();
    const ledger = createLedger({ store, policies: { payable: storePayable(store) } });
    const at = (occurredAt: string) => ({ occurredAt });
    await ledger.handle({
      type: 'EnrollPartner',
      data: {
        partnerId: 'P-1',
        name: 'One',
        program: 'partner',
        tier: 'silver',
        contactEmail: 'one@partner.example',
        payoutCurrency: 'USD',
      },
      metadata: at('2026-01-01T00:00:00Z'),
    });
    await ledger.handle({
      type: 'SubmitReferral',
      data: {
        referralId: 'R-1',
        partnerId: 'P-1',
        channel: 'portal',
        lead: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@acme.example', company: 'Acme' },
      },
      metadata: at('2026-01-02T00:00:00Z'),
    });
    await ledger.handle({
      type: 'OpenOpportunity',
      data: {
        opportunityId: 'O-1',
        accountDomain: 'acme.example',
        accountName: 'Acme',
        value: { amount: 1_000_000, currency: 'USD' },
        ownerId: 'rep',
      },
      metadata: at('2026-01-05T00:00:00Z'),
    });
    await ledger.handle({
      type: 'WinOpportunity',
      data: { opportunityId: 'O-1', value: { amount: 1_000_000, currency: 'USD' } },
      metadata: at('2026-01-10T00:00:00Z'),
    });
    await ledger.handle({
      type: 'ApproveCommission',
      data: {
        opportunityId: 'O-1',
        partnerId: 'P-1',
        amount: { amount: 150_000, currency: 'USD' },
        approvedBy: 'fin',
      },
      metadata: at('2026-01-11T00:00:00Z'),
    });
    const payout = (payoutId: string, amount: number, occurredAt: string) =>
      ledger.handle({
        type: 'SchedulePayout',
        data: {
          payoutId,
          partnerId: 'P-1',
          amount: { amount, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
        metadata: at(occurredAt),
      });
    // On hold until 9 Feb (10 Jan + 30 days): nothing is payable yet.
    await expect(payout('PO-0', 1, '2026-02-01T00:00:00Z')).rejects.toMatchObject({
      code: 'payout.exceeds-payable',
    });
    // After the hold: 15 % of $10,000.00 = $1,500.00 payable.
    await expect(payout('PO-1', 150_001, '2026-02-10T00:00:00Z')).rejects.toMatchObject({
      code: 'payout.exceeds-payable',
    });
    await payout('PO-1', 100_000, '2026-02-10T00:00:00Z');
    // 100,000 already scheduled: 50,000 is left.
    await expect(payout('PO-2', 50_001, '2026-02-11T00:00:00Z')).rejects.toMatchObject({
      code: 'payout.exceeds-payable',
    });
    await payout('PO-2', 50_000, '2026-02-11T00:00:00Z');
  });
});
