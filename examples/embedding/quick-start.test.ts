import { readFileSync } from 'node:fs';
import { getSQLiteEventStore } from '@referral-ledger/adapters';
import { describe, expect, it } from 'vitest';
import { quickStart } from './quick-start.ts';

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`markers ${start} … ${end} not found`);
  return text.slice(a + start.length, b).trim();
}

describe("the README's embedding snippet", () => {
  it('is the code of examples/embedding/quick-start.ts, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./quick-start.ts', import.meta.url), 'utf8');
    const snippet = between(
      between(readme, '<!-- embedding-snippet -->', '<!-- /embedding-snippet -->'),
      '```ts',
      '```',
    );
    expect(snippet).toBe(between(source, '// snippet-start', '// snippet-end'));
  });

  it('runs on the in-memory store: the second submission is flagged, the bare rejection refused', async () => {
    expect(await quickStart()).toEqual({
      first: ['ReferralSubmitted'],
      second: ['ReferralSubmitted', 'ReferralDuplicateFlagged'],
      duplicateOf: { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' },
      refusal: 'referral.explanation-required',
    });
  });

  it('runs the same on the embedded SQLite store', async () => {
    const store = getSQLiteEventStore({ path: ':memory:' });
    try {
      expect((await quickStart(store)).second).toEqual(['ReferralSubmitted', 'ReferralDuplicateFlagged']);
    } finally {
      await store.close();
    }
  });
});
