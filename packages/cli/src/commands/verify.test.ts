import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { runCli } from '../reports/run-cli.fixture.ts';

const line = (streamId: string, type: string, data: object, occurredAt: string) =>
  JSON.stringify({ streamId, type, data, metadata: { occurredAt } });

function sampleFile(dir: string): string {
  const file = join(dir, 'in.ndjson');
  const partner = (id: string) => ({
    partnerId: id,
    name: `Partner ${id}`,
    program: 'partner',
    tier: 'bronze',
    contactEmail: `${id}@partners.example`,
    payoutCurrency: 'USD',
  });
  writeFileSync(
    file,
    [
      line('partner-P-1', 'PartnerEnrolled', partner('P-1'), '2026-01-01T00:00:00Z'),
      line('partner-P-2', 'PartnerEnrolled', partner('P-2'), '2026-01-02T00:00:00Z'),
      line('partner-P-1', 'PartnerTierChanged', { partnerId: 'P-1', tier: 'gold' }, '2026-01-03T00:00:00Z'),
      line(
        'fx',
        'FxRateRecorded',
        { base: 'EUR', quote: 'USD', rate: '1.08', source: 'ecb' },
        '2026-01-04T00:00:00Z',
      ),
    ].join('\n'),
  );
  return file;
}

describe('ledger verify', () => {
  it('exits 0 on an intact store and prints the head checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verify-'));
    const db = join(dir, 'l.db');
    expect((await runCli(['import', sampleFile(dir), '--store', db])).code).toBe(0);
    const r = await runCli(['verify', '--store', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('intact: 4 events in 3 streams; checkpoint at position 4 reproduced');
    expect(r.stdout).toMatch(/head checkpoint: 4:[0-9a-f]{64}/);
  });

  it('exports each event with its chain hash, and the export verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verify-'));
    const db = join(dir, 'l.db');
    await runCli(['import', sampleFile(dir), '--store', db]);
    const out = join(dir, 'out.ndjson');
    expect((await runCli(['export', '--store', db, '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.metadata.hash))).toBe(true);
    const r = await runCli(['verify', '--events', out]);
    expect(r.code).toBe(0);
    // The head checkpoint of the file equals the store's: it can anchor one against the other.
    const fromStore = (await runCli(['verify', '--store', db])).stdout.split('\n')[1];
    expect(r.stdout.split('\n')[1]).toBe(fromStore);
  });

  it('exits 1 naming the place when an exported line was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verify-'));
    const db = join(dir, 'l.db');
    await runCli(['import', sampleFile(dir), '--store', db]);
    const out = join(dir, 'out.ndjson');
    await runCli(['export', '--store', db, '--out', out]);
    writeFileSync(out, readFileSync(out, 'utf8').replace('"tier":"gold"', '"tier":"silver"'));
    const r = await runCli(['verify', '--events', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /broken \(altered\) at position 3, stream partner-P-1, revision 1, event [0-9a-f-]{36}/,
    );
  });

  it('exits 1 when the tail of a store was cut, against a checkpoint given by the auditor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verify-'));
    const db = join(dir, 'l.db');
    await runCli(['import', sampleFile(dir), '--store', db]);
    const anchor = /head checkpoint: (\S+)/.exec((await runCli(['verify', '--store', db])).stdout)![1]!;
    const raw = new DatabaseSync(db);
    raw.exec(`DELETE FROM events WHERE position = 4; DELETE FROM streams WHERE stream_id = 'fx';
      DELETE FROM projections WHERE name = 'integrity-anchor'`);
    raw.close();
    expect((await runCli(['verify', '--store', db])).code).toBe(0); // nothing left to compare with
    const r = await runCli(['verify', '--store', db, '--anchor', anchor]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('truncated');
  });

  it('exits 3 on a file without hashes: unverifiable, not intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verify-'));
    const r = await runCli(['verify', '--events', sampleFile(dir)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unverifiable: 4 of 4 events carry no chain hash');
  });

  it('refuses a malformed --anchor', async () => {
    const r = await runCli(['verify', '--events', 'x.ndjson', '--anchor', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--anchor nope: expected POSITION:DIGEST');
  });
});
