import { join } from 'node:path';
import { startPortal } from './portal.ts';
import { seed } from './seed.ts';

// `pnpm --filter @referral-ledger/example-partner-portal start`: seed the demo programme into
// ./.portal/demo.db (once), write one token per partner to ./.portal/tokens.json, and serve.
const dir = process.env.PORTAL_DIR ?? join(import.meta.dirname, '.portal');
const { store, tokens, secret } = await seed(dir);
const portal = await startPortal({
  store,
  tokens: tokens.tokens,
  port: Number(process.env.PORT ?? 3000),
  secret,
});
console.log(`Partner portal at ${portal.url} — sign in with a token from ${join(dir, 'tokens.json')}, e.g.`);
for (const t of tokens.tokens.slice(0, 3))
  console.log(`  ${t.partnerId.padEnd(6)} ${t.name.padEnd(24)} ${t.token}`);
const stop = async () => {
  await portal.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
