import { openStore } from '@referral-ledger/adapters';
import type { EventStore } from '@referral-ledger/core';
import { computeAttribution, computeCommission } from '@referral-ledger/projections';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { cliLedger, modelAt } from '../ledger.ts';

/** One approval the `approve` verb makes: what is eligible and not yet approved on a deal. */
export interface PendingApproval {
  readonly partnerId: string;
  readonly opportunityId: string;
  readonly amount: number;
  readonly currency: string;
}

/**
 * Every eligible, unapproved amount as of `at` (SPEC §9 `approve`): per (partner, deal), the
 * sum of the eligible lines' payout amounts (net of clawbacks, in the partner's payout
 * currency) less what was already approved on that pair. Pairs with nothing left are skipped.
 */
export async function pendingApprovals(
  store: EventStore,
  at: string,
  partner?: string,
): Promise<PendingApproval[]> {
  const model = await modelAt(store, at);
  const result = computeCommission(model, computeAttribution(model), { at: Date.parse(at), explain: false });
  const out: PendingApproval[] = [];
  for (const p of result.partners) {
    if (partner !== undefined && p.partnerId !== partner) continue;
    const eligible = new Map<string, number>();
    for (const l of p.lines) {
      if (l.eligible) eligible.set(l.opportunityId, (eligible.get(l.opportunityId) ?? 0) + l.payoutAmount);
    }
    const approved = new Map<string, number>();
    for (const a of p.approvals) {
      if (a.opportunityId !== null)
        approved.set(a.opportunityId, (approved.get(a.opportunityId) ?? 0) + a.amount);
    }
    for (const [opportunityId, amount] of [...eligible].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const left = amount - (approved.get(opportunityId) ?? 0);
      if (left > 0) out.push({ partnerId: p.partnerId, opportunityId, amount: left, currency: p.currency });
    }
  }
  return out;
}

const command: Command = {
  summary: 'approve every eligible, unapproved commission amount as of now',
  usage: `Usage: referral-ledger approve [--partner ID] [--store target] [--by WHO]

For each partner (or only --partner) and each won deal, approves what its eligible commission
lines earn (net of clawbacks, in the partner's payout currency) less what was already
approved, through the ApproveCommission command. Lines that are not eligible (below the
minimum deal value, missing an exchange rate, churned) are not approved. Running it again
approves nothing new.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      partner: { type: 'string' },
      by: { type: 'string' },
    });
    const store = await openStore(values.store);
    try {
      const now = new Date().toISOString();
      const by = values.by ?? 'referral-ledger approve';
      const ledger = cliLedger(store, io.env);
      const pending = await pendingApprovals(store, now, values.partner);
      for (const a of pending) {
        await ledger.handle({
          type: 'ApproveCommission',
          data: {
            opportunityId: a.opportunityId,
            partnerId: a.partnerId,
            amount: { amount: a.amount, currency: a.currency },
            approvedBy: by,
          },
          metadata: { occurredAt: now, actor: { kind: 'user', id: by } },
        });
        io.stdout.write(
          `approved ${a.amount} ${a.currency} (minor units) for ${a.partnerId} on ${a.opportunityId}\n`,
        );
      }
      io.stdout.write(`${pending.length} approval${pending.length === 1 ? '' : 's'} as of ${now}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
