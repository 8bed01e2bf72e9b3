import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openStore } from '@referral-ledger/adapters';
import { main } from '@referral-ledger/cli';
import { type EventStore, readAllEvents } from '@referral-ledger/core';
import type { PortalToken } from './portal.ts';

/** The tokens file: one sign-in token per enrolled partner, with its name for the README's table. */
export interface TokensFile {
  readonly tokens: readonly (PortalToken & { readonly name: string })[];
}

/**
 * Build the demo programme (`pnpm ledger demo`) into `<dir>/demo.db` unless it is there.
 * Returns the store path.
 */
export async function seedDemoStore(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'demo.db');
  if (existsSync(path)) return path;
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const code = await main(['demo', '--store', path, '--quiet'], {
    stdout: quiet,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  if (code !== 0) throw new Error(`pnpm ledger demo exited ${code}`);
  return path;
}

/**
 * One random token per enrolled partner, written to `<dir>/tokens.json` (kept if it exists,
 * so a restart keeps the tokens you handed out).
 */
export async function ensureTokens(store: EventStore, dir: string): Promise<TokensFile> {
  const file = join(dir, 'tokens.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TokensFile;
  const tokens: (PortalToken & { name: string })[] = [];
  for await (const e of readAllEvents(store, { pageSize: 10_000 })) {
    if (e.type !== 'PartnerEnrolled') continue;
    const d = e.data as { partnerId: string; name: string };
    tokens.push({ partnerId: d.partnerId, name: d.name, token: randomBytes(24).toString('base64url') });
  }
  const out: TokensFile = { tokens };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  return out;
}

/**
 * Seed `dir` (demo store + tokens) and open its store as the CLI does (`openStore`): appends
 * are hash-chained and personal fields sealed (SPEC §8, §10). `secret` is the ledger secret
 * the portal's facade must use (`REFERRAL_LEDGER_SECRET`, else the store's own).
 */
export async function seed(
  dir: string,
): Promise<{ store: EventStore; tokens: TokensFile; path: string; secret: string | undefined }> {
  const path = await seedDemoStore(dir);
  const store = await openStore(path);
  return { store, tokens: await ensureTokens(store, dir), path, secret: store.privacy?.secret };
}
