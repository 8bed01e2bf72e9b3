import { join } from 'node:path';
import { runRuleChange } from './rule-change.ts';

// `pnpm --filter @referral-ledger/example-rule-change start`: what the proposed rule set would
// change on the shipped sample log; the diff goes to ./out as Markdown and CSV.
const { diff, files } = await runRuleChange({ outDir: join(import.meta.dirname, 'out') });
const changed = diff.opportunities.filter((o) => o.changed).length;
console.log(`${changed} of ${diff.opportunities.length} deals change credits under the proposal.`);
console.log('Partners whose credit or commission changes (minor units, after − before):');
for (const p of diff.partners) {
  if (p.creditedDelta === 0 && p.commissionDelta === 0) continue;
  console.log(
    `  ${p.partnerId.padEnd(6)} credited ${String(p.creditedDelta).padStart(10)} ${diff.currency}   commission ${String(p.commissionDelta).padStart(9)} ${p.commissionCurrency}`,
  );
}
for (const f of files) console.log(`wrote ${f}`);
