import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from '../io.ts';
import { main } from '../main.ts';

/** Run the CLI in-process with captured output (tests). */
export async function runCli(
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
  const io: CliIo = {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: process.env,
    cwd: process.cwd(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * The shared worked examples (`shared/scenarios`): `REFERRAL_LEDGER_SCENARIOS` if set, else
 * the first `shared/scenarios` found walking up from this file (the repository root's
 * parent holds `shared/` in CI; a git worktree may sit one level deeper).
 */
export function scenariosDir(): string {
  const fromEnv = process.env.REFERRAL_LEDGER_SCENARIOS;
  if (fromEnv) return resolve(fromEnv);
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = join(dir, 'shared', 'scenarios');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir)
      throw new Error('shared/scenarios not found above the repository; set REFERRAL_LEDGER_SCENARIOS');
    dir = up;
  }
}
