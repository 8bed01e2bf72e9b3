import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.fixture.ts';

const line = (streamId: string, type: string, data: object, occurredAt: string) =>
  JSON.stringify({ streamId, type, data, metadata: { occurredAt } });

/** P-1 (silver) sources a $10,000.00 deal, is approved and paid $1,500.00, then the deal is refunded in full. */
function refundAfterPayout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'statements-'));
  const file = join(dir, 'events.ndjson');
  const lead = { firstName: 'A', lastName: 'B', email: 'a@acme.example', company: 'Acme' };
  writeFileSync(
    file,
    [
      line(
        'partner-P-1',
        'PartnerEnrolled',
        {
          partnerId: 'P-1',
          name: 'One',
          program: 'partner',
          tier: 'silver',
          contactEmail: 'p1@x.example',
          payoutCurrency: 'USD',
        },
        '2026-01-01T00:00:00Z',
      ),
      line(
        'referral-R-1',
        'ReferralSubmitted',
        { referralId: 'R-1', partnerId: 'P-1', channel: 'portal', lead },
        '2026-01-02T00:00:00Z',
      ),
      line(
        'opportunity-O-1',
        'OpportunityOpened',
        {
          opportunityId: 'O-1',
          accountDomain: 'acme.example',
          accountName: 'Acme',
          value: { amount: 1_000_000, currency: 'USD' },
          ownerId: 'rep',
        },
        '2026-01-05T00:00:00Z',
      ),
      line(
        'opportunity-O-1',
        'OpportunityWon',
        { opportunityId: 'O-1', value: { amount: 1_000_000, currency: 'USD' } },
        '2026-01-10T00:00:00Z',
      ),
      line(
        'commission-O-1',
        'CommissionApproved',
        {
          opportunityId: 'O-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          approvedBy: 'fin',
        },
        '2026-01-11T00:00:00Z',
      ),
      line(
        'payout-PO-1',
        'PayoutScheduled',
        {
          payoutId: 'PO-1',
          partnerId: 'P-1',
          amount: { amount: 150_000, currency: 'USD' },
          lines: [{ opportunityId: 'O-1', amount: { amount: 150_000, currency: 'USD' } }],
          provider: 'wise',
        },
        '2026-02-10T00:00:00Z',
      ),
      line(
        'payout-PO-1',
        'PayoutSent',
        { payoutId: 'PO-1', providerReference: 'w-1' },
        '2026-02-11T00:00:00Z',
      ),
      line(
        'opportunity-O-1',
        'RevenueReversed',
        { opportunityId: 'O-1', value: { amount: 1_000_000, currency: 'USD' }, reason: 'refund' },
        '2026-02-20T00:00:00Z',
      ),
    ].join('\n'),
  );
  return file;
}

describe('report statements / commission / payouts through the CLI', () => {
  it('shows a refund after payout as a negative line carried into the next month, and a negative payable', async () => {
    const file = refundAfterPayout();
    const args = ['--events', file, '--as-of', '2026-03-15T00:00:00Z', '--format', 'json'];
    const s = await runCli(['report', 'statements', ...args]);
    expect(s.code).toBe(0);
    const months = (
      JSON.parse(s.stdout) as {
        partners: {
          months: {
            month: string;
            closing: number;
            lines: { kind: string; amount: number; reason?: string }[];
          }[];
        }[];
      }
    ).partners[0]!.months;
    expect(months.map((m) => [m.month, m.closing])).toEqual([
      ['2026-01', 150_000],
      ['2026-02', -150_000],
      ['2026-03', -150_000],
    ]);
    expect(months[1]!.lines).toContainEqual(
      expect.objectContaining({ kind: 'clawback', amount: -150_000, reason: 'refund' }),
    );

    const c = await runCli(['report', 'commission', ...args]);
    expect(JSON.parse(c.stdout).partners[0]).toMatchObject({
      earned: 0,
      approved: 0,
      paid: 150_000,
      payable: -150_000,
      outstanding: -150_000,
    });

    const p = await runCli(['report', 'payouts', ...args]);
    expect(JSON.parse(p.stdout).payouts).toEqual([
      expect.objectContaining({
        payoutId: 'PO-1',
        partnerId: 'P-1',
        amount: 150_000,
        provider: 'wise',
        status: 'sent',
      }),
    ]);

    const table = await runCli(['report', 'statements', '--events', file, '--as-of', '2026-03-15T00:00:00Z']);
    expect(table.stdout).toContain('-1,500.00 USD');
  });
});
