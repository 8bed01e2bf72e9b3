import { type Credit, diffModels, LedgerModel } from '@referral-ledger/projections';
import { parseFlags, timestampFlag } from '../args.ts';
import { FORMATS, type Format } from '../format/document.ts';
import { formatMoney } from '../format/money.ts';
import { render } from '../format/render.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { loadRulesFile, replayEvents } from '../replay.ts';

function creditsText(credits: readonly Credit[], currency: string): string {
  return credits.map((c) => `${c.partyId} ${c.kind} ${formatMoney(c.amount, currency)}`).join('; ');
}

const command: Command = {
  summary: 'rebuild under two rule sets and diff credits and commission per deal and partner',
  usage: `Usage: referral-ledger diff --rules after.json --against before.json
         [--events file.ndjson | --store target] [--as-of T] [--known-at K] [--all]
         [--format table|json|csv|md|html]

Replays the log twice without changing it, once under each rule set (each applies to
everything), and prints every opportunity's credits before and after and, per partner,
the change in credited amounts and commission. Deltas are after − before. Tables show the
deals that changed (--all: every deal); JSON lists every deal with "changed".`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      events: { type: 'string' },
      store: { type: 'string' },
      rules: { type: 'string' },
      against: { type: 'string' },
      'as-of': { type: 'string' },
      'known-at': { type: 'string' },
      all: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
    });
    if (!values.rules) throw new UsageError('missing --rules after.json (the rule set to compare)');
    if (!values.against) throw new UsageError('missing --against before.json (the rule set to compare with)');
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format ${values.format}: one of ${FORMATS.join(', ')}`);
    const asOf = timestampFlag('as-of', values['as-of']) ?? new Date().toISOString();
    const knownAt = timestampFlag('known-at', values['known-at']);
    const afterRules = await loadRulesFile(values.rules);
    const beforeRules = await loadRulesFile(values.against);
    const cut = { asOf, ...(knownAt ? { knownAt } : {}) };
    const before = new LedgerModel({ ...cut, rules: beforeRules });
    const after = new LedgerModel({ ...cut, rules: afterRules });
    await replayEvents(values, io, (e) => {
      before.apply(e);
      after.apply(e);
    });
    const json = diffModels(before.finish(), after.finish());
    const valueCurrency = new Map<string, string>();
    for (const o of json.opportunities) {
      const c = after.opportunities.get(o.opportunityId)?.opened?.event.data.value.currency;
      if (c) valueCurrency.set(o.opportunityId, c);
    }
    const meta: [string, string][] = [
      ['As of', json.asOf],
      ['Before', `${json.before.ruleVersion} (${values.against})`],
      ['After', `${json.after.ruleVersion} (${values.rules})`],
      [
        'Deals changed',
        `${json.opportunities.filter((o) => o.changed).length} of ${json.opportunities.length}`,
      ],
    ];
    if (json.knownAt) meta.splice(1, 0, ['Known at', json.knownAt]);
    if (json.missingFxRate.length > 0)
      meta.push(['No exchange rate (left out of deltas)', json.missingFxRate.join(', ')]);
    const signed = (n: number, cur: string) => `${n > 0 ? '+' : ''}${formatMoney(n, cur)}`;
    io.stdout.write(
      render(
        {
          title: 'Rule change: credits and commission, after − before',
          meta,
          json,
          tables: [
            {
              title: 'Opportunities',
              columns: [
                { key: 'opportunityId', header: 'Opportunity' },
                { key: 'status', header: 'Status' },
                { key: 'before', header: 'Before' },
                { key: 'after', header: 'After' },
              ],
              rows: json.opportunities
                .filter((o) => values.all || o.changed)
                .map((o) => {
                  const cur = valueCurrency.get(o.opportunityId) ?? json.currency;
                  return {
                    opportunityId: o.opportunityId,
                    status: o.status,
                    before: creditsText(o.before, cur),
                    after: creditsText(o.after, cur),
                  };
                }),
            },
            {
              title: 'Partners',
              columns: [
                { key: 'partnerId', header: 'Partner' },
                { key: 'credited', header: 'Credited Δ', align: 'right' },
                { key: 'commission', header: 'Commission Δ', align: 'right' },
              ],
              rows: json.partners.map((p) => ({
                partnerId: p.partnerId,
                credited: signed(p.creditedDelta, json.currency),
                commission:
                  p.commissionDelta === null
                    ? 'n/a'
                    : signed(p.commissionDelta, p.commissionCurrency ?? json.currency),
              })),
            },
          ],
        },
        format,
      ),
    );
    return 0;
  },
};
export default command;
