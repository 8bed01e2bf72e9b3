/** @referral-ledger/cli: the `referral-ledger` command line, usable as a library too. */
export { main, registerCommand } from './main.ts';
export type { CliIo, Command } from './io.ts';
export { UsageError } from './io.ts';
