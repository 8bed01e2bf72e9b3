import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-payout-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (streamId: string, type: string, data: unknown, occurredAt: string): string =>
  JSON.stringify({ streamId, type, data, metadata: { occurredAt } });
const enrol = (id: string, name: string, email: string, currency: string): string =>
  line(
    `partner-${id}`,
    'PartnerEnrolled',
    { partnerId: id, name, program: 'partner', tier: 'gold', contactEmail: email, payoutCurrency: currency },
    '2026-01-01T00:00:00Z',
  );
const schedule = (
  payoutId: string,
  partnerId: string,
  amount: number,
  currency: string,
  provider: string,
): string =>
  line(
    `payout-${payoutId}`,
    'PayoutScheduled',
    {
      payoutId,
      partnerId,
      amount: { amount, currency },
      lines: [{ opportunityId: 'O-1', amount: { amount, currency } }],
      provider,
    },
    '2026-03-01T00:00:00Z',
  );

const events = join(dir, 'log.ndjson');
writeFileSync(
  events,
  [
    enrol('P-1', 'Acme Partners', 'pay@acme.example', 'USD'),
    enrol('P-2', 'Beta GmbH', 'geld@beta.example', 'EUR'),
    schedule('PO-1', 'P-1', 123450, 'USD', 'wise'),
    schedule('PO-2', 'P-2', 99000, 'EUR', 'wise'),
    schedule('PO-3', 'P-1', 5000, 'USD', 'wise'),
    line('payout-PO-3', 'PayoutSent', { payoutId: 'PO-3', providerReference: 'W-9' }, '2026-03-02T00:00:00Z'),
    schedule('PO-4', 'P-1', 7700, 'USD', 'stripe'),
    schedule('PO-5', 'P-2', 4200, 'EUR', 'paypal'),
  ].join('\n') + '\n',
);

describe('referral-ledger payout-file', () => {
  it('writes the Wise CSV of the scheduled, unsent Wise payouts only', async () => {
    const r = await runCli(['payout-file', '--provider', 'wise', '--events', events]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency\r\n' +
        'Acme Partners,pay@acme.example,PO-1,BUSINESS,target,1234.50,USD,USD\r\n' +
        'Beta GmbH,geld@beta.example,PO-2,BUSINESS,target,990.00,EUR,EUR\r\n',
    );
  });

  it('writes Stripe transfer requests with the accounts map, and refuses without it', async () => {
    const accounts = join(dir, 'accounts.json');
    writeFileSync(accounts, JSON.stringify({ 'P-1': 'acct_1MTfjCQ9PRzxEwkZ' }));
    const out = join(dir, 'stripe.json');
    const r = await runCli([
      'payout-file',
      '--provider',
      'stripe',
      '--events',
      events,
      '--accounts',
      accounts,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote 1 stripe payout');
    const requests = JSON.parse(readFileSync(out, 'utf8'));
    expect(requests).toHaveLength(1);
    expect(requests[0].headers['Idempotency-Key']).toBe('PO-4');
    expect(requests[0].params).toMatchObject({
      amount: 7700,
      currency: 'usd',
      destination: 'acct_1MTfjCQ9PRzxEwkZ',
    });
    const missing = await runCli(['payout-file', '--provider', 'stripe', '--events', events]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--accounts');
  });

  it('writes the PayPal batch body with decimal-string amounts', async () => {
    const r = await runCli(['payout-file', '--provider', 'paypal', '--events', events]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.items).toEqual([
      {
        recipient_type: 'EMAIL',
        amount: { value: '42.00', currency: 'EUR' },
        receiver: 'geld@beta.example',
        note: 'Referral commission payout PO-5',
        sender_item_id: 'PO-5',
      },
    ]);
  });

  it('refuses an unknown provider with a usage error', async () => {
    const r = await runCli(['payout-file', '--provider', 'venmo', '--events', events]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider must be one of stripe, paypal, wise');
  });
});
