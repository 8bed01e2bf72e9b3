import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-reviews-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (streamId: string, type: string, data: object, occurredAt: string) =>
  JSON.stringify({ streamId, type, data, metadata: { occurredAt } });
const enrol = (id: string) =>
  line(
    `partner-${id}`,
    'PartnerEnrolled',
    {
      partnerId: id,
      name: id,
      program: 'partner',
      tier: 'bronze',
      contactEmail: `${id.toLowerCase()}@partners.example`,
      payoutCurrency: 'USD',
    },
    '2026-01-01T00:00:00Z',
  );
const submit = (id: string, partnerId: string) =>
  line(
    `referral-${id}`,
    'ReferralSubmitted',
    {
      referralId: id,
      partnerId,
      channel: 'portal',
      lead: { firstName: 'A', lastName: 'B', email: `a@acme.example`, company: 'Acme' },
    },
    '2026-03-02T09:00:00Z',
  );

describe('report reviews with attribution and commission', () => {
  it('lists a registration tie as a conflict and a won deal’s unapproved commission, and drops the approval once approved', async () => {
    const lines = [
      enrol('P-1'),
      enrol('P-2'),
      submit('R-1', 'P-1'),
      submit('R-2', 'P-2'), // same instant, same domain: a conflict (SPEC §5)
      line(
        'opportunity-O-1',
        'OpportunityOpened',
        {
          opportunityId: 'O-1',
          accountDomain: 'acme.example',
          accountName: 'Acme',
          value: { amount: 1000000, currency: 'USD' },
          ownerId: 'rep',
        },
        '2026-03-05T09:00:00Z',
      ),
      line(
        'opportunity-O-1',
        'OpportunityWon',
        { opportunityId: 'O-1', value: { amount: 1000000, currency: 'USD' } },
        '2026-03-20T09:00:00Z',
      ),
    ];
    const file = join(dir, 'log.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = async (f: string) =>
      JSON.parse(
        (
          await runCli([
            'report',
            'reviews',
            '--events',
            f,
            '--as-of',
            '2026-03-21T09:00:00Z',
            '--format',
            'json',
          ])
        ).stdout,
      );
    const out = await run(file);
    // R-1 wins the tie by log position; first-to-register at bronze 10 %: a 1,000.00 line for P-1
    expect(
      out.items.map((i: { kind: string; id: string; ageHours: number }) => [i.kind, i.id, i.ageHours]),
    ).toEqual([
      ['conflict', 'O-1', 384],
      ['commission-approval', 'O-1', 24],
    ]);
    expect(out.items[0].partnerIds).toEqual(['P-1', 'P-2']);
    const approved = join(dir, 'approved.ndjson');
    const approval = line(
      'commission-O-1',
      'CommissionApproved',
      {
        opportunityId: 'O-1',
        partnerId: 'P-1',
        amount: { amount: 100000, currency: 'USD' },
        approvedBy: 'pm',
      },
      '2026-03-21T08:00:00Z',
    );
    writeFileSync(approved, `${[...lines, approval].join('\n')}\n`);
    const after = await run(approved);
    expect(after.items.map((i: { kind: string }) => i.kind)).toEqual(['conflict']);
  });
});
