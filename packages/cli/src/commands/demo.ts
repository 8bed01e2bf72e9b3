import { existsSync, rmSync } from 'node:fs';
import { getSQLiteEventStore, tableKeyStore, withIntegrity, withPrivacy } from '@referral-ledger/adapters';
import { CommandRefusedError, createLedger, LedgerError } from '@referral-ledger/core';
import { advocateBlocked, type LedgerModel, payablePolicy } from '@referral-ledger/projections';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseFlags } from '../args.ts';
import { render } from '../format/render.ts';
import { DEMO_RULES_V1, DEMO_RULES_V2, demoProgram } from '../demo/program.ts';
import type { CliIo, Command } from '../io.ts';
import { main } from '../main.ts';
import { approveAll, replayStore, scheduleAll } from '../operate.ts';

/** The moment the demo's reports are taken: the end of the sample year's data. */
export const DEMO_AS_OF = '2026-11-20T18:00:00.000Z';
const DEFAULT_DEMO_STORE = './.referral-ledger/demo.db';

function monthStarts(from: number, to: number): number[] {
  const out: number[] = [];
  const d = new Date(from);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 6);
  while (t <= to) {
    out.push(t);
    const m = new Date(t);
    t = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1, 6);
  }
  return out;
}

async function section(io: CliIo, title: string, argv: string[]): Promise<void> {
  io.stdout.write(`\n━━ ${title} ━━  (pnpm ledger ${argv.join(' ')})\n\n`);
  const code = await main(argv, io);
  if (code !== 0) throw new LedgerError('demo.report-failed', `demo: \`${argv.join(' ')}\` exited ${code}`);
}

/** The SLA report's summary table only (the per-referral table has a row per referral). */
async function slaSummary(io: CliIo, path: string): Promise<void> {
  io.stdout.write(`\n━━ SLA summary ━━  (pnpm ledger report sla --store ${path} --as-of ${DEMO_AS_OF})\n\n`);
  const sla = (await import('../reports/sla.ts')).default;
  const { replayFromFlags } = await import('../replay.ts');
  const { model, asOf } = await replayFromFlags({ store: path, 'as-of': DEMO_AS_OF }, io);
  const doc = sla.build({ model, asOf });
  io.stdout.write(`${render({ ...doc, tables: doc.tables.filter((t) => t.title === 'Summary') }, 'table')}`);
}

const command: Command = {
  summary: 'build a realistic sample programme in a fresh store and print its reports',
  usage: `Usage: referral-ledger demo [--store path.db] [--quiet]

Builds a year of a referral programme (partners of every program and tier, a few hundred
referrals through every path: duplicates, flags, rejections, disputes, refunds, approvals
and payouts, shared leads, customer requests) in a fresh SQLite store (default
${DEFAULT_DEMO_STORE}, recreated), every command through the deciders, then prints the
partner report, a commission statement, the SLA summary, a rule-change diff, the review
queue, the requests due and the KPIs. Explore further with --store ${DEFAULT_DEMO_STORE}.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    });
    const path = values.store ?? DEFAULT_DEMO_STORE;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
    let now = Date.parse('2025-12-01T00:00:00Z');
    // Knowledge time trails business time by a few minutes, as it does when people key things in.
    const recordedClock = () => new Date(now + 3 * 60_000);
    const sqlite = getSQLiteEventStore({ path, durability: 'normal', clock: recordedClock });
    // Like every store the CLI opens: chained (verify) and sealed (erase), SPEC §8, §10.
    const store = await withPrivacy(withIntegrity(sqlite, { clock: recordedClock }), {
      keys: tableKeyStore(sqlite),
      env: io.env,
      clock: recordedClock,
    });
    let model: LedgerModel | null = null;
    const ledger = createLedger({
      store,
      secret: store.privacy.secret,
      clock: () => new Date(now),
      policies: {
        payable: async (partnerId, currency, at) =>
          payablePolicy(model ?? (await replayStore(store, at))).payable(partnerId, currency, at),
        advocateBlocked: async (partnerId, at) =>
          advocateBlocked(await replayStore(store, at), partnerId, Date.parse(at)),
      },
    });
    const commands = demoProgram({ until: Date.parse(DEMO_AS_OF) });
    const closes = monthStarts(Date.parse('2026-01-01T00:00:00Z'), Date.parse(DEMO_AS_OF));
    let nextClose = 0;
    let payoutN = 0;
    let failedOne = false;
    const refused: string[] = [];
    const started = Date.now();
    const monthEnd = async (at: number) => {
      now = at;
      const atIso = new Date(at).toISOString();
      model = await replayStore(store, at);
      // Payouts scheduled last month went out (in June one bank rejects a transfer).
      for (const rec of model.payouts.values()) {
        const facts = rec.facts.map((f) => f.event.type);
        if (!rec.scheduled || facts.length > 1) continue;
        const fail = atIso.startsWith('2026-06') && !failedOne;
        if (fail) failedOne = true;
        await ledger.handle(
          fail
            ? ({
                type: 'MarkPayoutFailed',
                data: { payoutId: rec.payoutId, reason: 'Beneficiary bank rejected the transfer' },
                metadata: { occurredAt: atIso },
              } as never)
            : ({
                type: 'MarkPayoutSent',
                data: { payoutId: rec.payoutId, providerReference: `tr_${rec.payoutId.toLowerCase()}` },
                metadata: { occurredAt: atIso },
              } as never),
        );
      }
      model = await replayStore(store, at);
      await approveAll(ledger, model, { by: 'pm-erin', at: atIso });
      model = await replayStore(store, at + 60_000);
      now = at + 60_000;
      const r = await scheduleAll(ledger, model, {
        provider: 'stripe',
        at: new Date(at + 60_000).toISOString(),
        newId: () => `PO-${String(++payoutN).padStart(4, '0')}`,
      });
      for (const x of r.refused) refused.push(`SchedulePayout ${x.partnerId}: ${x.reason}`);
      model = null;
    };
    // A partner manager rejects referrals the ledger flagged as duplicates (with the
    // partner-facing explanation a rejection needs) instead of accepting them.
    const duplicates = new Set<string>();
    const rejected = new Set<string>();
    const accepted: string[] = [];
    for (const original of commands) {
      const at = Date.parse(original.metadata.occurredAt);
      while (nextClose < closes.length && closes[nextClose]! <= at) await monthEnd(closes[nextClose++]!);
      now = at;
      const referralId = original.data.referralId as string | undefined;
      let cmd = original;
      if (referralId && duplicates.has(referralId)) {
        if (original.type === 'AcceptReferral') {
          rejected.add(referralId);
          cmd = {
            type: 'RejectReferral',
            data: {
              referralId,
              reason: 'duplicate',
              partnerExplanation:
                'This company was already registered by another partner within its protection window.',
              approvedBy: original.data.approvedBy as string,
            },
            metadata: original.metadata,
          };
        } else if (rejected.has(referralId) && original.type !== 'SendPartnerFeedback') {
          continue;
        }
      }
      try {
        const r = (await ledger.handle(cmd as never)) as { events: readonly { type: string }[] };
        if (cmd.type === 'AcceptReferral') accepted.push(referralId!);
        if (cmd.type === 'SubmitReferral' && r.events.some((e) => e.type === 'ReferralDuplicateFlagged')) {
          duplicates.add(referralId!);
        }
      } catch (e) {
        if (!(e instanceof CommandRefusedError)) throw e;
        refused.push(`${cmd.type}: ${e.message}`);
      }
    }
    while (nextClose < closes.length) await monthEnd(closes[nextClose++]!);
    // Two commands the deciders must refuse, to show what a refusal looks like.
    now = Date.parse(DEMO_AS_OF) - 3_600_000;
    for (const bad of [
      {
        type: 'AcceptReferral',
        data: {
          referralId: accepted[accepted.length - 1] ?? 'R-0001',
          salesOwnerId: 'rep-ava',
          feedbackOwnerId: 'pm-erin',
          approvedBy: 'pm-erin',
        },
      },
      {
        type: 'SchedulePayout',
        data: {
          payoutId: 'PO-TOO-MUCH',
          partnerId: 'P-NW',
          amount: { amount: 999_999_999, currency: 'USD' },
          lines: [],
          provider: 'manual',
        },
      },
    ]) {
      try {
        await ledger.handle({ ...bad, metadata: { occurredAt: new Date(now).toISOString() } } as never);
        refused.push(`${bad.type}: UNEXPECTEDLY ACCEPTED`);
      } catch (e) {
        if (!(e instanceof CommandRefusedError)) throw e;
        refused.push(`${bad.type} (deliberate): ${e.message}`);
      }
    }
    const head = await store.headPosition();
    await store.close();
    const seconds = (Date.now() - started) / 1000;
    const rulesDir = dirname(path);
    const v1 = join(rulesDir, 'demo-rules-2026-01.json');
    const v2 = join(rulesDir, 'demo-rules-2026-07.json');
    writeFileSync(v1, `${JSON.stringify(DEMO_RULES_V1, null, 2)}\n`);
    writeFileSync(v2, `${JSON.stringify(DEMO_RULES_V2, null, 2)}\n`);
    io.stdout.write(
      `Referral Ledger demo: ${commands.length} commands → ${head} events in ${path} (${seconds.toFixed(1)} s)\n` +
        `Reports are as of ${DEMO_AS_OF}. Refused by the deciders (${refused.length}):\n` +
        refused.map((r) => `  - ${r}`).join('\n') +
        '\n',
    );
    if (values.quiet) return 0;
    const src = ['--store', path, '--as-of', DEMO_AS_OF];
    await section(io, 'Partner attribution report', ['report', 'partners', ...src]);
    await section(io, 'Commission statement: Northwind Consulting', [
      'report',
      'statements',
      ...src,
      '--partner',
      'P-NW',
    ]);
    await slaSummary(io, path);
    await section(io, 'Rule change 2026-01 → 2026-07 (multi-touch, new rates): what-if diff', [
      'diff',
      '--rules',
      v2,
      '--against',
      v1,
      ...src,
    ]);
    await section(io, 'Review queue', ['report', 'reviews', ...src]);
    await section(io, 'Referral requests to customers', ['report', 'requests', ...src]);
    await section(io, 'KPIs for the year to date', [
      'report',
      'kpis',
      ...src,
      '--from',
      '2026-01-01T00:00:00Z',
    ]);
    io.stdout.write(
      `\nExplore: pnpm ledger report <name> --store ${path} --as-of ${DEMO_AS_OF} [--format md|csv|json|html]\n`,
    );
    return 0;
  },
};
export default command;
