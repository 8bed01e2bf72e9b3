import { Writable } from 'node:stream';
import { main } from '../main.ts';

/** Run the CLI in-process with captured output (tests). */
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
