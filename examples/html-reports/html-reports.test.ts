import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { demoStore, HTML_REPORTS, renderReports, servePages } from './reports.ts';

let dir: string;
let pages: { name: string; html: string }[];
let site: Awaited<ReturnType<typeof servePages>>;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'html-reports-'));
  pages = await renderReports(await demoStore(join(dir, 'demo.db')));
  site = await servePages(pages);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--format html reports in headless Chromium', () => {
  it.each(HTML_REPORTS.map((r) => r.name))(
    '%s: one self-contained page with its table and an inline SVG chart, no other request',
    async (name) => {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const url = `${site.url}/${name}.html`;
      const res = await page.goto(url, { waitUntil: 'networkidle' });
      expect(res?.status()).toBe(200);
      expect(requests).toEqual([url]);
      const svg = page.locator('figure svg');
      expect(await svg.count()).toBe(1);
      expect(await svg.locator('rect').count()).toBeGreaterThan(0);
      expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('dl').textContent()).toContain('2026-11-20T18:00:00.000Z');
      const html = pages.find((p) => p.name === name)!.html;
      expect(html).not.toMatch(/<script|<link|@import|src=|url\(/i);
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.subarray(1, 4).toString()).toBe('PNG');
      await page.close();
    },
  );
});
