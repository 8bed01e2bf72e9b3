import { join } from 'node:path';
import { runAudit } from './audit.ts';

// `pnpm --filter @referral-ledger/example-audit-replay start [D-001]`: audit one dispute of the
// shipped sample log; the explanation and a summary go to ./out.
const disputeId = process.argv[2] ?? 'D-001';
const outDir = join(import.meta.dirname, 'out');
const r = await runAudit({ disputeId, outDir });
const credits = (a: typeof r.now) => a.credits.map((c) => `${c.partyId} ${c.kind} ${c.share}`).join(', ');
console.log(
  `Dispute ${r.dispute.disputeId} by ${r.dispute.claimantPartnerId} on ${r.dispute.opportunityId}: ${r.dispute.status}`,
);
console.log(`  credits when it was opened: ${credits(r.atDispute)}`);
console.log(`  credits now:                ${credits(r.now)}`);
console.log(`  log integrity:              ${r.verify.status} (${r.verify.output.split('\n')[0]})`);
console.log('');
console.log(r.explanation);
for (const f of r.files) console.log(`wrote ${f}`);
