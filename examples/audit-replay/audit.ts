import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledger, ledgerOk } from './cli.ts';

/** The shipped sample log: a year of the demo programme (`pnpm ledger demo`, exported once). */
export const SAMPLE_LOG = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'demo-log.ndjson');
/** When the sample's reports are taken (the end of the demo's data). */
export const SAMPLE_AS_OF = '2026-11-20T18:00:00.000Z';

interface Credit {
  readonly partyId: string;
  readonly kind: string;
  readonly share: number;
  readonly amount: number;
}
interface Attribution {
  readonly opportunityId: string;
  readonly status: string;
  readonly value: { readonly amount: number; readonly currency: string };
  readonly disputed: boolean;
  readonly ruleVersion: string;
  readonly credits: readonly Credit[];
}
interface Dispute {
  readonly disputeId: string;
  readonly opportunityId: string;
  readonly claimantPartnerId: string;
  readonly status: string;
  readonly openedAt?: string;
}

/** What the walkthrough found, also written as `audit-<disputeId>.md`. */
export interface AuditResult {
  readonly dispute: Dispute;
  /** The deal's attribution as the ledger computed it when the dispute was opened. */
  readonly atDispute: Attribution;
  /** ... and as of the audit (after the resolution). */
  readonly now: Attribution;
  readonly explanation: string;
  /** `verify` output, or why the step was skipped. */
  readonly verify: {
    /** `unverifiable`: the file carries no chain hashes (SPEC §8), which is not the same as intact. */
    readonly status: 'intact' | 'broken' | 'unverifiable' | 'skipped';
    readonly output: string;
  };
  readonly files: readonly string[];
}

async function attributionOf(log: string, opportunityId: string, asOf: string): Promise<Attribution> {
  const json = JSON.parse(
    await ledgerOk(['report', 'attribution', '--events', log, '--as-of', asOf, '--format', 'json']),
  ) as { opportunities: Attribution[] };
  const found = json.opportunities.find((o) => o.opportunityId === opportunityId);
  if (!found) throw new Error(`no opportunity ${opportunityId} as of ${asOf}`);
  return found;
}

const creditsText = (a: Attribution) =>
  a.credits
    .map((c) => `${c.partyId} ${c.kind} ${c.share} = ${c.amount} ${a.value.currency} minor units`)
    .join('; ');

/**
 * The auditor's walkthrough over an NDJSON log: find the dispute, replay the deal's
 * attribution as of the moment the dispute was opened and as of `asOf` (the log is never
 * changed: both are replays), explain the deal with every fact's eventId and position, and
 * verify the log's integrity when this build has `verify`. Writes the explanation and a
 * Markdown summary into `outDir`.
 *
 * @example
 * const r = await runAudit({ disputeId: 'D-001', outDir: 'out' });
 * r.atDispute.credits[0].partyId // 'P-HA'  (r.now: 'P-CR', the upheld claimant)
 */
export async function runAudit(options: {
  disputeId: string;
  outDir: string;
  log?: string;
  asOf?: string;
}): Promise<AuditResult> {
  const log = options.log ?? SAMPLE_LOG;
  const asOf = options.asOf ?? SAMPLE_AS_OF;
  mkdirSync(options.outDir, { recursive: true });

  // 1. The dispute, from the dispute queue.
  const disputes = JSON.parse(
    await ledgerOk(['report', 'disputes', '--events', log, '--as-of', asOf, '--format', 'json']),
  ) as { disputes: Dispute[] };
  const dispute = disputes.disputes.find((d) => d.disputeId === options.disputeId);
  if (!dispute) throw new Error(`no dispute ${options.disputeId} in ${log} as of ${asOf}`);
  const openedAt = dispute.openedAt ?? asOf;

  // 2. Reproduce: the deal as the ledger saw it when the claim came in, and as it stands now.
  const atDispute = await attributionOf(log, dispute.opportunityId, openedAt);
  const now = await attributionOf(log, dispute.opportunityId, asOf);

  // 3. Explain: every registration, touch, share and commission line, citing eventId @ position.
  const explanation = await ledgerOk(['explain', dispute.opportunityId, '--events', log, '--as-of', asOf]);

  // 4. Verify the log (SPEC §8 integrity) when this build has the command.
  const v = await ledger(['verify', '--events', log]);
  const verify: AuditResult['verify'] = /unknown command/.test(v.stderr)
    ? {
        status: 'skipped',
        output: '`verify` is not in this build yet (issue #10, integrity): the step is skipped.',
      }
    : {
        status: /unverifiable/i.test(v.stdout + v.stderr)
          ? 'unverifiable'
          : v.code === 0
            ? 'intact'
            : 'broken',
        output: (v.stdout + v.stderr).trim(),
      };

  const explainFile = join(options.outDir, `explain-${dispute.opportunityId}.txt`);
  writeFileSync(explainFile, explanation);
  const md = [
    `# Audit of dispute ${dispute.disputeId}`,
    '',
    `Log: \`${log}\`, replayed as of ${asOf}; the log itself is not changed.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Opportunity | ${dispute.opportunityId} (${now.status}, ${now.value.amount} ${now.value.currency} minor units, rules ${now.ruleVersion}) |`,
    `| Claimant | ${dispute.claimantPartnerId} |`,
    `| Dispute status | ${dispute.status} |`,
    `| Credits when the dispute was opened (${openedAt}) | ${creditsText(atDispute)}${atDispute.disputed ? ' (disputed)' : ''} |`,
    `| Credits as of ${asOf} | ${creditsText(now)} |`,
    `| Log integrity | ${verify.status}: ${verify.output.split('\n')[0]} |`,
    '',
    `The full explanation (registrations with their windows, touches, shares, allocation and commission, each fact citing its event) is in \`${explainFile.split('/').pop()}\`.`,
    '',
  ].join('\n');
  const mdFile = join(options.outDir, `audit-${dispute.disputeId}.md`);
  writeFileSync(mdFile, md);
  return { dispute, atDispute, now, explanation, verify, files: [explainFile, mdFile] };
}
