import type { Writable } from 'node:stream';

/** Where a command writes and what it may read of its environment (tests pass their own). */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** A CLI command: parses its own flags from `argv` and returns an exit code. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Bad command-line input: exit 2 with a one-line reason. */
export class UsageError extends Error {}
