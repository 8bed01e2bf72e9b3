import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = [
  '{"streamId":"partner-P-1","type":"PartnerEnrolled","data":{"partnerId":"P-1","name":"Partner One","program":"partner","tier":"silver","contactEmail":"p1@partners.example","payoutCurrency":"USD"},"metadata":{"occurredAt":"2026-01-01T00:00:00Z"}}',
  '{"streamId":"referral-R-1","type":"ReferralSubmitted","data":{"referralId":"R-1","partnerId":"P-1","channel":"portal","lead":{"firstName":"Jane","lastName":"Doe","email":"jane@acme.example","company":"Acme"}},"metadata":{"occurredAt":"2026-01-05T09:00:00Z"}}',
];
const badLine =
  '{"streamId":"referral-R-2","type":"ReferralSubmitted","data":{"referralId":"R-2","partnerId":"P-1","channel":"portal","lead":{"firstName":"Bob","lastName":"Roe","email":"not-an-email","company":"Acme"}},"metadata":{"occurredAt":"2026-01-06T09:00:00Z"}}';

describe('referral-ledger import', () => {
  it('imports a file, and importing it again appends nothing', async () => {
    const file = join(dir, 'good.ndjson');
    const store = join(dir, 'good.db');
    writeFileSync(file, `${good.join('\n')}\n`);
    const first = await runCli(['import', file, '--store', store]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 appended');
    const second = await runCli(['import', file, '--store', store]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 appended, 2 already present');
  });

  it('refuses a file with one bad line, naming the file, line, type and field, and leaves the store unchanged', async () => {
    const store = join(dir, 'bad.db');
    const seed = join(dir, 'seed.ndjson');
    writeFileSync(seed, `${good[0]}\n`);
    expect((await runCli(['import', seed, '--store', store])).code).toBe(0);
    const before = await runCli(['export', '--store', store]);

    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, `${good[1]}\n${badLine}\n`);
    const r = await runCli(['import', file, '--store', store]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('bad.ndjson');
    expect(r.stderr).toContain('line 2');
    expect(r.stderr).toContain('ReferralSubmitted');
    expect(r.stderr).toContain('data.lead.email');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);

    const after = await runCli(['export', '--store', store]);
    expect(after.stdout).toBe(before.stdout);
    expect(after.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('export writes lines that import back into an identical log', async () => {
    const file = join(dir, 'rt.ndjson');
    writeFileSync(file, `${good.join('\n')}\n`);
    const a = join(dir, 'rt-a.db');
    const b = join(dir, 'rt-b.db');
    await runCli(['import', file, '--store', a]);
    const out = join(dir, 'rt-out.ndjson');
    expect((await runCli(['export', '--store', a, '--out', out])).code).toBe(0);
    expect((await runCli(['import', out, '--store', b])).code).toBe(0);
    const again = await runCli(['export', '--store', b]);
    expect(again.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('names a missing file and an unknown flag clearly', async () => {
    const missing = await runCli(['import', join(dir, 'nope.ndjson'), '--store', join(dir, 'x.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const flag = await runCli(['import', 'x', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--bogus');
  });
});
