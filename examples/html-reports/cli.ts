import { Writable } from 'node:stream';
import { main } from '@referral-ledger/cli';

/** Run `referral-ledger <argv>` in-process and capture what it prints (as `pnpm ledger` would). */
export async function ledger(
  argv: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: process.env,
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

/** Like `ledger`, but a non-zero exit throws with the CLI's one-line reason. */
export async function ledgerOk(argv: readonly string[]): Promise<string> {
  const r = await ledger(argv);
  if (r.code !== 0) throw new Error(`pnpm ledger ${argv.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
