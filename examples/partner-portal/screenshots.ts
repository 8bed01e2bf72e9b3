import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.ts';
import { startPortal } from './portal.ts';
import { seed } from './seed.ts';

// `pnpm --filter @referral-ledger/example-partner-portal screenshots`: the portal's main pages,
// signed in as Otter & Co on the demo programme, into docs/screenshots/portal-*.png.
const out = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'portal-shots-'));
const { store, tokens, secret } = await seed(dir);
const portal = await startPortal({
  store,
  tokens: tokens.tokens,
  secret,
  clock: () => new Date('2026-11-20T18:30:00.000Z'),
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${portal.url}/login`);
  await page.screenshot({ path: join(out, 'portal-sign-in.png') });
  await page.fill('input[name=token]', tokens.tokens.find((t) => t.partnerId === 'P-OT')!.token);
  await page.click('button[type=submit]');
  const shots: [string, string][] = [
    ['/', 'portal-overview.png'],
    ['/referrals', 'portal-referrals.png'],
    ['/referrals/new', 'portal-submit-referral.png'],
    ['/commissions', 'portal-commissions.png'],
    ['/statements', 'portal-statements.png'],
    ['/payouts', 'portal-payouts.png'],
    ['/leads', 'portal-shared-leads.png'],
  ];
  for (const [path, file] of shots) {
    await page.goto(`${portal.url}${path}`);
    await page.screenshot({ path: join(out, file), fullPage: true });
    console.log(`wrote docs/screenshots/${file}`);
  }
} finally {
  await browser.close();
  await portal.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
