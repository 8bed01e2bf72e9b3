import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export { runCli } from '../testing/run-cli.ts';

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
