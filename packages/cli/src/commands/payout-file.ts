import { readFile, writeFile } from 'node:fs/promises';
import {
  type PayoutToSend,
  paypalPayoutBatch,
  stripeTransfers,
  wiseBatchCsv,
} from '@referral-ledger/adapters';
import { ValidationError } from '@referral-ledger/core';
import { type LedgerModel, partnerState, payoutState } from '@referral-ledger/projections';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { replayFromFlags } from '../replay.ts';

const PROVIDERS = ['stripe', 'paypal', 'wise'] as const;
type Provider = (typeof PROVIDERS)[number];

/**
 * Every scheduled, unsent payout of a provider as of the model's cut-off (not sent, failed or
 * reversed), with the partner details a provider file needs, in payout-id order.
 */
export function scheduledPayouts(model: LedgerModel, provider: Provider): PayoutToSend[] {
  const out: PayoutToSend[] = [];
  for (const rec of model.payouts.values()) {
    const p = payoutState(rec);
    if (p?.status !== 'scheduled') continue;
    const d = p.scheduled.event.data;
    if (d.provider !== provider) continue;
    const partnerRec = model.partners.get(d.partnerId);
    const partner = partnerRec ? partnerState(partnerRec) : null;
    if (!partner) {
      throw new ValidationError(`payout ${d.payoutId}: partner ${d.partnerId} is not enrolled`, [
        { path: `${d.payoutId}.partnerId`, message: 'not enrolled' },
      ]);
    }
    out.push({
      payoutId: d.payoutId,
      partnerId: d.partnerId,
      amount: d.amount,
      provider: d.provider,
      lines: d.lines,
      partner: { name: partner.name, contactEmail: partner.contactEmail, program: partner.program },
    });
  }
  return out.sort((a, b) => (a.payoutId < b.payoutId ? -1 : a.payoutId > b.payoutId ? 1 : 0));
}

async function jsonMap(flag: string, file: string | undefined): Promise<Record<string, string>> {
  if (file === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--${flag} ${file}: cannot read a JSON object (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`--${flag} ${file}: expected a JSON object of partner id → value`);
  }
  for (const [k, v] of Object.entries(json)) {
    if (typeof v !== 'string') throw new UsageError(`--${flag} ${file}: the value of "${k}" is not a string`);
  }
  return json as Record<string, string>;
}

const command: Command = {
  summary: 'write the bulk-payout file of every scheduled, unsent payout of a provider',
  usage: `Usage: referral-ledger payout-file --provider <stripe|paypal|wise> [--out file]
         [--events file.ndjson | --store target] [--accounts accounts.json]
         [--receivers receivers.json] [--source-currency CUR]

stripe  a JSON array of transfer requests (POST /v1/transfers), the payout id as
        Idempotency-Key; --accounts maps partner ids to connected accounts (acct_…), required
paypal  the JSON body of a Payouts batch (POST /v1/payments/payouts); --receivers maps
        partner ids to PayPal emails (default: the partner's contact email)
wise    a batch payment CSV ("send by email" template); --source-currency funds the batch
        in another currency

Only payouts scheduled for that provider and not yet sent, failed or reversed are written,
one line or item per payout, keyed by the payout id. Without --out, to standard output.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      provider: { type: 'string' },
      out: { type: 'string' },
      events: { type: 'string' },
      store: { type: 'string' },
      accounts: { type: 'string' },
      receivers: { type: 'string' },
      'source-currency': { type: 'string' },
    });
    const provider = values.provider as Provider | undefined;
    if (!provider || !PROVIDERS.includes(provider)) {
      throw new UsageError('--provider must be one of stripe, paypal, wise');
    }
    const sourceCurrency = values['source-currency'];
    if (sourceCurrency !== undefined && !/^[A-Z]{3}$/.test(sourceCurrency)) {
      throw new UsageError(`--source-currency "${sourceCurrency}" is not an ISO 4217 code such as USD`);
    }
    const { model } = await replayFromFlags({ events: values.events, store: values.store }, io);
    const payouts = scheduledPayouts(model, provider);
    if (payouts.length === 0) {
      io.stderr.write(`no scheduled, unsent ${provider} payouts; nothing written\n`);
      return 0;
    }
    let content: string;
    if (provider === 'stripe') {
      if (values.accounts === undefined) {
        throw new UsageError('--accounts accounts.json (partner id → acct_…) is required for stripe');
      }
      content = `${JSON.stringify(stripeTransfers(payouts, { accounts: await jsonMap('accounts', values.accounts) }), null, 2)}\n`;
    } else if (provider === 'paypal') {
      content = `${JSON.stringify(paypalPayoutBatch(payouts, { receivers: await jsonMap('receivers', values.receivers) }), null, 2)}\n`;
    } else {
      content = wiseBatchCsv(payouts, sourceCurrency ? { sourceCurrency } : {});
    }
    if (values.out) {
      await writeFile(values.out, content);
      io.stderr.write(
        `wrote ${payouts.length} ${provider} payout${payouts.length === 1 ? '' : 's'} to ${values.out}\n`,
      );
    } else io.stdout.write(content);
    return 0;
  },
};
export default command;
