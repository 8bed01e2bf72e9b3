import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@referral-ledger/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Writable } from 'node:stream';
import { main } from '@referral-ledger/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { type RunningPortal, startPortal } from './portal.ts';
import { seed, type TokensFile } from './seed.ts';

// The demo programme (pnpm ledger demo) is deterministic in its ids: Otter & Co (P-OT) has two
// unanswered shared leads (S-008, S-019) and payouts; Northwind (P-NW) owns referral R-0014,
// payout PO-0003 and shared lead S-011; Evergreen (P-EV) has S-015 unanswered.
const ME = 'P-OT';
const CLOCK = new Date('2026-11-20T18:30:00.000Z');

let dir: string;
let path: string;
let store: EventStore;
let tokens: TokensFile;
let secret: string | undefined;
let portal: RunningPortal;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const tokenOf = (partnerId: string) => tokens.tokens.find((t) => t.partnerId === partnerId)!.token;
const otherIds = () =>
  tokens.tokens.filter((t) => t.partnerId !== ME).map((t) => new RegExp(`\\b${t.partnerId}\\b`));

/** The JSON the portal's API answers, as far as these tests read it (one endpoint each). */
interface ApiBody {
  stages: Record<string, number>;
  months: unknown[];
  lines: unknown[];
  referrals: {
    referralId: string;
    company: string;
    submittedAt: string;
    status: string;
    nextStep: string;
    duplicate: boolean;
  }[];
  payouts: { payoutId: string }[];
  response: string | null;
}

async function apiAs(partnerId: string, path: string): Promise<{ status: number; body: ApiBody }> {
  const res = await fetch(`${portal.url}${path}`, {
    headers: { authorization: `Bearer ${tokenOf(partnerId)}` },
  });
  return { status: res.status, body: (await res.json()) as ApiBody };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  ({ store, tokens, secret, path } = await seed(dir));
  portal = await startPortal({ store, tokens: tokens.tokens, secret, clock: () => CLOCK });
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('partner portal in headless Chromium', () => {
  it('sends a visitor without a session to the sign-in page and refuses a wrong token', async () => {
    await page.goto(`${portal.url}/referrals`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('.error')).toContain('not valid');
  });

  it('signs in with the partner token and shows the overview with the funnel and earnings charts', async () => {
    await page.goto(`${portal.url}/login`);
    await page.fill('input[name=token]', tokenOf(ME));
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.textContent('h1')).toBe('Welcome, Otter & Co');
    const funnel = await apiAs(ME, '/api/funnel');
    const labels = await page.locator('#funnel-chart svg text').allTextContents();
    expect(labels).toContain('submitted');
    expect(labels).toContain(String(funnel.body.stages.submitted));
    const statements = await apiAs(ME, '/api/statements');
    expect(await page.locator('#earnings-chart svg rect').count()).toBe(statements.body.months.length);
    expect(statements.body.months.length).toBeGreaterThan(0);
  });

  it('lists exactly its own referrals with status and next step', async () => {
    const api = await apiAs(ME, '/api/referrals');
    await page.goto(`${portal.url}/referrals`);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(api.body.referrals.length);
    const first = api.body.referrals[0]!;
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells).toEqual([
      first.referralId,
      first.company,
      first.submittedAt.slice(0, 10),
      first.status,
      first.nextStep,
    ]);
    await page.click(`a[href="/referrals/${first.referralId}"]`);
    expect(await page.textContent('h1')).toBe(`Referral ${first.referralId}`);
  });

  it('shows commissions, statements and payouts of the partner', async () => {
    const c = await apiAs(ME, '/api/commissions');
    await page.goto(`${portal.url}/commissions`);
    expect(await page.textContent('h1')).toBe('Your commissions');
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(
      Math.max(1, c.body.lines.length),
    );
    await page.goto(`${portal.url}/statements`);
    const s = await apiAs(ME, '/api/statements');
    expect(await page.locator('tbody tr').count()).toBe(s.body.months.length);
    await page.goto(`${portal.url}/payouts`);
    const p = await apiAs(ME, '/api/payouts');
    expect(p.body.payouts.length).toBeGreaterThan(0);
    expect(await page.locator('tbody tr').count()).toBe(p.body.payouts.length);
    await page.click(`a[href="/payouts/${p.body.payouts[0]!.payoutId}"]`);
    expect(await page.textContent('h1')).toBe(`Payout ${p.body.payouts[0]!.payoutId}`);
  });

  it('never names another partner on any of its pages', async () => {
    for (const path of ['/', '/referrals', '/commissions', '/statements', '/payouts', '/leads']) {
      await page.goto(`${portal.url}${path}`);
      const text = await page.content();
      for (const re of otherIds()) expect(text, `${path} names ${re}`).not.toMatch(re);
    }
  });

  it('submits a referral through the form, and the duplicate check runs on a second one', async () => {
    const before = (await apiAs(ME, '/api/referrals')).body.referrals.length;
    const fill = async (email: string) => {
      await page.goto(`${portal.url}/referrals/new`);
      await page.fill('input[name=firstName]', 'Ana');
      await page.fill('input[name=lastName]', 'Lima');
      await page.fill('input[name=email]', email);
      await page.fill('input[name=company]', 'Globex Portal Test');
      await page.fill('input[name=estimatedValue]', '25000');
      await page.click('#referral-form button[type=submit]');
    };
    await fill('ana@globex-portal-test.example');
    const note = await page.textContent('.note');
    expect(note).toMatch(/^Referral R-web-[0-9a-f]{8} submitted\.$/);
    await fill('ana@globex-portal-test.example');
    expect(await page.textContent('.note')).toContain('earlier registration of this lead');
    const after = (await apiAs(ME, '/api/referrals')).body.referrals;
    expect(after.length).toBe(before + 2);
    const mine = after.filter((r: { company: string }) => r.company === 'Globex Portal Test');
    expect(mine.map((r: { duplicate: boolean }) => r.duplicate).sort()).toEqual([false, true]);
  });

  it('shows a form error naming the field when the email is not an email', async () => {
    const res = await fetch(`${portal.url}/api/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf(ME)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'A', lastName: 'B', email: 'nope', company: 'C' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('email');
  });

  it('accepts a shared lead, and a second answer is refused', async () => {
    await page.goto(`${portal.url}/leads`);
    await page.click('button[data-share="S-008"][data-response="accepted"]');
    expect(await page.textContent('.note')).toBe('Lead S-008 accepted.');
    const lead = await apiAs(ME, '/api/leads/S-008');
    expect(lead.body.response).toBe('accepted');
    expect(await page.locator('button[data-share="S-008"]').count()).toBe(0);
    const again = await page.request.post(`${portal.url}/api/leads/S-008/respond`, {
      data: { response: 'declined' },
    });
    expect(again.status()).toBe(409);
  });

  it('answers 404 when ids of another partner are put in URLs and API calls', async () => {
    for (const path of ['/referrals/R-0014', '/payouts/PO-0003']) {
      const res = await page.goto(`${portal.url}${path}`);
      expect(res?.status(), path).toBe(404);
      expect(await page.content()).not.toContain('Northwind');
    }
    // The page's own session (cookie) against the JSON API, as a curious partner would try it.
    for (const path of [
      '/api/referrals/R-0014',
      '/api/payouts/PO-0003',
      '/api/leads/S-011',
      '/api/leads/S-015',
    ]) {
      const res = await page.request.get(`${portal.url}${path}`);
      expect(res.status(), path).toBe(404);
    }
    const steal = await page.request.post(`${portal.url}/api/leads/S-015/respond`, {
      data: { response: 'accepted' },
    });
    expect(steal.status()).toBe(404);
    const form = await page.request.post(`${portal.url}/leads/S-015/respond`, {
      form: { response: 'declined' },
    });
    expect(form.status()).toBe(404);
    // Evergreen's lead is still unanswered: nothing was appended for it.
    expect((await apiAs('P-EV', '/api/leads/S-015')).body.response).toBeNull();
    // A partner parameter is ignored: the partner comes only from the token.
    const scoped = await page.request.get(`${portal.url}/api/referrals?partner=P-NW`);
    const ids = ((await scoped.json()) as { referrals: { referralId: string }[] }).referrals.map(
      (r) => r.referralId,
    );
    expect(ids).not.toContain('R-0014');
    expect(ids).toEqual(
      (await apiAs(ME, '/api/referrals')).body.referrals.map((r: { referralId: string }) => r.referralId),
    );
    // No token, or a forged one: 401.
    expect((await fetch(`${portal.url}/api/referrals`)).status).toBe(401);
    const forged = await fetch(`${portal.url}/api/referrals`, { headers: { authorization: 'Bearer P-NW' } });
    expect(forged.status).toBe(401);
  });
  it('leaves the log intact: pnpm ledger verify passes after what the portal appended', async () => {
    let out = '';
    const sink = new Writable({
      write: (c, _e, done) => {
        out += String(c);
        done();
      },
    });
    const code = await main(['verify', '--store', path], {
      stdout: sink,
      stderr: sink,
      env: process.env,
      cwd: dir,
    });
    expect(code, out).toBe(0);
  });
});
