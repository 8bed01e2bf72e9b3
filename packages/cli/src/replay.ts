import { readFile } from 'node:fs/promises';
import { type RecordedEvent, type RuleSet, resolveRuleSet, ValidationError } from '@referral-ledger/core';
import { forEachStoredEvent, replayNdjsonFile } from '@referral-ledger/adapters';
import { LedgerModel } from '@referral-ledger/projections';
import { timestampFlag } from './args.ts';
import type { CliIo } from './io.ts';
import { openSource } from './source.ts';

/** Read and validate a rule-set file given with `--rules` / `--against`. */
export async function loadRulesFile(file: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ValidationError(`${file}: no such rule-set file`, [{ path: 'file', message: 'not found' }], {
      file,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(
      `${file}: not valid JSON (${(e as Error).message})`,
      [{ path: '', message: 'not JSON' }],
      { file },
    );
  }
  return resolveRuleSet(json, file);
}

export interface ReplayFlags {
  readonly events?: string | undefined;
  readonly store?: string | undefined;
  readonly rules?: string | undefined;
  readonly 'as-of'?: string | undefined;
  readonly 'known-at'?: string | undefined;
}

/** The replay flags shared by `report`, `explain` and `diff`. */
export const replayFlags = {
  events: { type: 'string' },
  store: { type: 'string' },
  rules: { type: 'string' },
  'as-of': { type: 'string' },
  'known-at': { type: 'string' },
} as const;

/**
 * Replay the log of `--events` / `--store` into a model as of `--as-of` (default now) and
 * known at `--known-at`, under `--rules` when given. Prints a progress line on a terminal
 * while a long log is read.
 */
export async function replayFromFlags(
  flags: ReplayFlags,
  io: CliIo,
  rulesOverride?: RuleSet,
): Promise<{ model: LedgerModel; asOf: string; knownAt: string | undefined }> {
  const asOf = timestampFlag('as-of', flags['as-of']) ?? new Date().toISOString();
  const knownAt = timestampFlag('known-at', flags['known-at']);
  const rules = rulesOverride ?? (flags.rules ? await loadRulesFile(flags.rules) : undefined);
  const model = new LedgerModel({ asOf, ...(knownAt ? { knownAt } : {}), ...(rules ? { rules } : {}) });
  await replayEvents(flags, io, (e) => model.apply(e));
  return { model: model.finish(), asOf, knownAt };
}

/**
 * Hand every event of `--events` / `--store` to `apply`, in log order, with a progress line
 * on a terminal. A file is validated and applied line by line (memory holds what `apply`
 * keeps, not the file); a store is read in pages (a large SQLite file ahead in a worker
 * thread, `forEachStoredEvent`).
 */
export async function replayEvents(
  source: { readonly events?: string | undefined; readonly store?: string | undefined },
  io: CliIo,
  apply: (event: RecordedEvent) => void,
): Promise<void> {
  const tty = io.stderr.isTTY === true;
  if (source.events !== undefined && source.store === undefined) {
    await replayNdjsonFile(source.events, apply, {
      ...(tty
        ? { onProgress: (n: number) => io.stderr.write(`\rreplaying: ${n.toLocaleString('en-US')} events`) }
        : {}),
    });
    if (tty) io.stderr.write('\r\x1b[K');
    return;
  }
  const store = await openSource(source);
  try {
    const head = await store.headPosition();
    const showProgress = tty && head > 200_000;
    let shown = 0;
    // A large SQLite store is read ahead in a worker thread (same events, same order).
    await forEachStoredEvent(store, apply, {
      pageSize: 10_000,
      ...(showProgress
        ? {
            onPage: (n: number) => {
              if (n - shown < 100_000) return;
              shown = n;
              io.stderr.write(
                `\rreplaying: ${n.toLocaleString('en-US')} / ${head.toLocaleString('en-US')} events`,
              );
            },
          }
        : {}),
    });
    if (showProgress) io.stderr.write('\r\x1b[K');
  } finally {
    await store.close();
  }
}
