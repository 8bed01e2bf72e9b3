import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.ts';
import { demoStore, renderReports, servePages } from './reports.ts';

// `pnpm --filter @referral-ledger/example-html-reports screenshots`: the HTML reports of the
// demo programme into docs/screenshots/report-<name>.png.
const out = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'html-report-shots-'));
const pages = await renderReports(await demoStore(join(dir, 'demo.db')));
const site = await servePages(pages);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  for (const p of pages) {
    await page.goto(`${site.url}/${p.name}.html`);
    await page.screenshot({ path: join(out, `report-${p.name}.png`), fullPage: false });
    console.log(`wrote docs/screenshots/report-${p.name}.png`);
  }
} finally {
  await browser.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
