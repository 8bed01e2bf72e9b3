import { Writable } from 'node:stream';
import { main } from './main.ts';

/**
 * Run `referral-ledger <argv>` in-process and capture what it prints, as `pnpm ledger`
 * would show it: for scripts, examples and tests that drive the CLI without a child process.
 *
 * @example const { code, stdout } = await runCli(['report', 'funnel', '--store', 'ledger.db', '--format', 'json']);
 */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env,
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}
