import { runCli } from '@referral-ledger/cli';

/** Run `referral-ledger <argv>` in-process and capture what it prints (as `pnpm ledger` would). */
export const ledger = runCli;

/** Like `ledger`, but a non-zero exit throws with the CLI's one-line reason. */
export async function ledgerOk(argv: readonly string[]): Promise<string> {
  const r = await ledger(argv);
  if (r.code !== 0) throw new Error(`pnpm ledger ${argv.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
