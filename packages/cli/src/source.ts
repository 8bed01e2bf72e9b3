import { type OpenedStore, openStore, storeFromNdjsonFile } from '@referral-ledger/adapters';
import { UsageError } from './io.ts';

/** The `--events` / `--store` flags every reading command takes (SPEC §9). */
export const sourceFlags = {
  events: { type: 'string' },
  store: { type: 'string' },
} as const;

/**
 * Open what a command reads: `--events file.ndjson` (replayed in memory, no store) or
 * `--store target` (default `./.referral-ledger/ledger.db`).
 */
export async function openSource(values: {
  events?: string | undefined;
  store?: string | undefined;
}): Promise<OpenedStore> {
  if (values.events !== undefined && values.store !== undefined) {
    throw new UsageError('give either --events or --store, not both');
  }
  if (values.events !== undefined) return storeFromNdjsonFile(values.events);
  return openStore(values.store);
}
