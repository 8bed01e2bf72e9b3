import { LedgerError, ValidationError } from '@referral-ledger/core';
import { type CliIo, type Command, UsageError } from './io.ts';

/**
 * The command table. Each command lives in `commands/<name>.ts` and is loaded only when
 * used, so `pnpm ledger report` does not pay for the PostgreSQL driver.
 */
const commands: Record<string, () => Promise<{ default: Command }>> = {
  approve: () => import('./commands/approve.ts'),
  demo: () => import('./commands/demo.ts'),
  diff: () => import('./commands/diff.ts'),
  erase: () => import('./commands/erase.ts'),
  explain: () => import('./commands/explain.ts'),
  export: () => import('./commands/export.ts'),
  import: () => import('./commands/import.ts'),
  ingest: () => import('./commands/ingest.ts'),
  'payout-file': () => import('./commands/payout-file.ts'),
  payouts: () => import('./commands/payouts.ts'),
  report: () => import('./commands/report.ts'),
  rules: () => import('./commands/rules.ts'),
  verify: () => import('./commands/verify.ts'),
};

/** Register a command (used by packages that add verbs, and by tests). */
export function registerCommand(name: string, load: () => Promise<{ default: Command }>): void {
  commands[name] = load;
}

async function help(io: CliIo): Promise<void> {
  const lines = [
    'Usage: referral-ledger <command> [options]   (in this repository: pnpm ledger <command>)',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(commands)) {
    const c = (await load()).default;
    lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  }
  lines.push('', 'Run `referral-ledger <command> --help` for its options. Docs: docs/cli.md');
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** Run the CLI; returns the exit code. Errors print one line on stderr. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr.write(`referral-ledger: unknown command "${name}"; run with --help for the list\n`);
    return 2;
  }
  const command = (await load()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`referral-ledger ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ValidationError) {
      io.stderr.write(`referral-ledger ${name}: ${e.message.split('\n')[0]}\n`);
      return 1;
    }
    if (e instanceof LedgerError) {
      io.stderr.write(`referral-ledger ${name}: ${e.message} [${e.code}]\n`);
      return 1;
    }
    io.stderr.write(`referral-ledger ${name}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}
