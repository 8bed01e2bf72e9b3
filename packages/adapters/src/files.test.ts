import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedEvent, readAllEvents, ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { eachFileLine, replayNdjsonFile, storeFromNdjsonFile } from './files.ts';

const scenarios = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'scenarios');
const NOW = new Date('2026-11-22T00:00:00Z');

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rl-files-')), name);
  writeFileSync(file, text);
  return file;
}

async function replayed(file: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  await replayNdjsonFile(file, (e) => out.push(e), { now: NOW });
  return out;
}

async function imported(file: string): Promise<RecordedEvent[]> {
  const store = await storeFromNdjsonFile(file);
  const out: RecordedEvent[] = [];
  for await (const e of readAllEvents(store)) out.push(e);
  return out;
}

const line = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    streamId: `partner-P-${i}`,
    type: 'PartnerEnrolled',
    data: {
      partnerId: `P-${i}`,
      name: `Partner ${i}`,
      program: 'partner',
      tier: 'bronze',
      contactEmail: `p${i}@partners.example`,
      payoutCurrency: 'USD',
    },
    metadata: { occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z' },
    ...extra,
  });

describe('replayNdjsonFile', () => {
  it('hands over exactly the events an import into an empty store records (every worked example)', async () => {
    const dirs = readdirSync(scenarios, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(dirs.length).toBeGreaterThanOrEqual(6);
    for (const d of dirs) {
      const file = join(scenarios, d.name, 'events.ndjson');
      const mine = await replayed(file);
      const theirs = await imported(file);
      expect(mine.length, d.name).toBe(theirs.length);
      expect(mine, d.name).toEqual(theirs);
      for (const e of mine)
        if (e.metadata.recordedAt !== e.metadata.occurredAt)
          expect(typeof e.metadata.recordedAt).toBe('string');
    }
  });

  it('completes a line as an import does: recordedAt from occurredAt, an id from the content', async () => {
    const bare = line(1).replace(',"recordedAt":"2026-01-01T00:00:00Z"', '');
    const file = tempFile('bare.ndjson', `${bare}\n${bare.replace('Partner 1', 'Partner One')}\n`);
    const [a, b] = await replayed(file);
    expect(a?.metadata.recordedAt).toBe('2026-01-01T00:00:00Z');
    expect(a?.metadata.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
    expect(b?.metadata.eventId).not.toBe(a?.metadata.eventId);
    expect(await replayed(file)).toEqual([a, b]);
  });

  it('assigns positions 1…n in file order and revisions per stream, skipping blank lines and CRLF ends', async () => {
    const text = `${line(1)}\r\n\r\n${line(2)}\n${line(3)}\n`;
    const events = await replayed(tempFile('crlf.ndjson', text));
    expect(events.map((e) => [e.streamId, e.revision, e.position])).toEqual([
      ['partner-P-1', 0, 1],
      ['partner-P-2', 0, 2],
      ['partner-P-3', 0, 3],
    ]);
  });

  it('fails naming the file, line and field of a bad line, after applying nothing past it', async () => {
    const bad = line(2).replace('"payoutCurrency":"USD"', '"payoutCurrency":"dollars"');
    const file = tempFile('bad.ndjson', [line(1), bad, line(3), '{not json', ''].join('\n'));
    const applied: RecordedEvent[] = [];
    const err = await replayNdjsonFile(file, (e) => applied.push(e)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const message = (err as ValidationError).message;
    expect(message).toContain(`${file}, line 2`);
    expect(message).toContain('data.payoutCurrency');
    expect(message).toContain('and 1 more bad line');
    expect(message).toContain('the replay stopped at the first bad line');
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([
      'line 2: data.payoutCurrency',
      'line 4: ',
    ]);
    expect(applied.map((e) => e.position)).toEqual([1]);
  });

  it('fails on an event id that comes twice, as an import does', async () => {
    const id = {
      metadata: { eventId: '6f1c2b8e-3d4a-4b5c-9d6e-7f8091a2b3c4', occurredAt: '2026-01-01T00:00:00Z' },
    };
    const file = tempFile('twice.ndjson', `${line(1, id)}\n${line(1, id)}\n`);
    await expect(replayNdjsonFile(file, () => {})).rejects.toThrow(
      /line 2: event id 6f1c2b8e-.* appears a second time/,
    );
    await expect(storeFromNdjsonFile(file)).rejects.toThrow(/appears twice/);
  });

  it('names a missing file', async () => {
    await expect(replayNdjsonFile('/nonexistent/log.ndjson', () => {})).rejects.toThrow(
      '/nonexistent/log.ndjson: no such file',
    );
  });
});

describe('eachFileLine', () => {
  it('finds every line across 1 MiB chunk boundaries, multi-byte characters included', async () => {
    const lines = Array.from(
      { length: 40_000 },
      (_, i) => `${i}:${'é✓'.repeat(i % 17)}${'x'.repeat(i % 61)}`,
    );
    const file = tempFile('lines.txt', `${lines.join('\n')}\n`);
    expect(readFileSync(file).length).toBeGreaterThan(2 << 20);
    const seen: string[] = [];
    const n = await eachFileLine(file, (l, i) => {
      expect(i).toBe(seen.length + 1);
      seen.push(l);
    });
    expect(n).toBe(lines.length);
    expect(seen).toEqual(lines);
  });
});

describe('import and replay read a file alike', () => {
  it('split lines on \\n only: a U+2028 in a string and a lone \\r between tokens are not line breaks', async () => {
    const withSeparator = line(1).replace('Partner 1', 'Partner\u2028One');
    const loneCr = line(2).replace('"type":', '\r"type":');
    const file = tempFile('separators.ndjson', `${withSeparator}\n${loneCr}\n`);
    const mine = await replayed(file);
    expect(mine.map((e) => (e.data as { name: string }).name)).toEqual(['Partner\u2028One', 'Partner 2']);
    expect(await imported(file)).toEqual(mine);
  });
});
