import { describe, expect, it } from 'vitest';
import { LedgerModel } from './model.ts';
import { opportunityState } from './state.ts';
import { type LogLine, recorded } from './testing/ops-log.ts';

const opened: LogLine = {
  type: 'OpportunityOpened',
  data: {
    opportunityId: 'O-1',
    accountDomain: 'acme.example',
    accountName: 'Acme',
    value: { amount: 1_000_000, currency: 'USD' },
    ownerId: 'rep-1',
  },
  at: '2026-01-05T00:00:00Z',
};
const won: LogLine = {
  type: 'OpportunityWon',
  data: { opportunityId: 'O-1', value: { amount: 1_200_000, currency: 'USD' } },
  at: '2026-02-01T00:00:00Z',
};
const fx = (rate: string, at: string): LogLine => ({
  type: 'FxRateRecorded',
  data: { base: 'EUR', quote: 'USD', rate, source: 'ecb' },
  at,
});

describe('LedgerModel.derived', () => {
  it('folds a record once per finished model', () => {
    const [e1] = recorded([opened]);
    const model = new LedgerModel({ asOf: '2026-06-01T00:00:00Z' });
    model.apply(e1!);
    model.finish();
    let calls = 0;
    const fold = (rec: Parameters<typeof opportunityState>[0]) => {
      calls += 1;
      return opportunityState(rec);
    };
    const rec = model.opportunities.get('O-1')!;
    const a = model.derived(fold, rec);
    const b = model.derived(fold, rec);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    expect(a?.status).toBe('open');
  });

  it('folds again once an event is applied after it', () => {
    const [e1, e2] = recorded([opened, won]);
    const model = new LedgerModel({ asOf: '2026-06-01T00:00:00Z' });
    model.apply(e1!);
    model.finish();
    const rec = model.opportunities.get('O-1')!;
    expect(model.derived(opportunityState, rec)?.status).toBe('open');
    model.apply(e2!);
    model.finish();
    const after = model.derived(opportunityState, rec);
    expect(after?.status).toBe('won');
    expect(after?.value.amount).toBe(1_200_000);
  });
});

describe('LedgerModel.fxRate', () => {
  it('takes the latest rate at or before t, and the reciprocal of the other direction', () => {
    const events = recorded([
      fx('1.10', '2026-01-01T00:00:00Z'),
      fx('1.20', '2026-02-01T00:00:00Z'),
      fx('1.30', '2026-03-01T00:00:00Z'),
    ]);
    const model = new LedgerModel({ asOf: '2026-06-01T00:00:00Z' });
    // Applied out of order: finish() sorts them by business time.
    for (const e of [events[2]!, events[0]!, events[1]!]) model.apply(e);
    model.finish();
    const t = (s: string) => Date.parse(s);
    expect(model.fxRate('EUR', 'USD', t('2025-12-31T00:00:00Z'))).toBeNull();
    expect(model.fxRate('EUR', 'USD', t('2026-01-01T00:00:00Z'))?.text).toBe('1.10');
    expect(model.fxRate('EUR', 'USD', t('2026-02-15T00:00:00Z'))?.text).toBe('1.20');
    expect(model.fxRate('EUR', 'USD', t('2026-03-01T00:00:00Z'))?.text).toBe('1.30');
    const inverse = model.fxRate('USD', 'EUR', t('2026-02-15T00:00:00Z'));
    expect(inverse?.text).toBe('1/1.20');
    expect(inverse?.rate).toEqual({ num: 100n, den: 120n });
    expect(inverse?.source.position).toBe(2);
  });
});

describe('LedgerModel.derived across folds and models', () => {
  const model = (asOf = '2026-06-01T00:00:00Z') => {
    const m = new LedgerModel({ asOf });
    for (const e of recorded([opened, won])) m.apply(e);
    return m.finish();
  };

  it('keeps each of three or more folds apart (two in record slots, the rest in a map)', () => {
    const m = model();
    const rec = m.opportunities.get('O-1')!;
    const folds = [1, 2, 3, 4].map((k) => (r: typeof rec) => `fold${k}:${r.opportunityId}`);
    for (let round = 0; round < 2; round++)
      for (const [i, f] of folds.entries()) expect(m.derived(f, rec)).toBe(`fold${i + 1}:O-1`);
  });

  it('never answers one model with a fold cached by another (slots are per model and generation)', () => {
    const a = model();
    const b = model();
    const recA = a.opportunities.get('O-1')!;
    const fold1 = (r: typeof recA) => `fold1:${r.opportunityId}`;
    const fold2 = (r: typeof recA) => `fold2:${r.opportunityId}`;
    expect(a.derived(fold1, recA)).toBe('fold1:O-1');
    expect(b.derived(fold2, recA)).toBe('fold2:O-1');
    expect(a.derived(fold1, recA)).toBe('fold1:O-1');
  });

  it('folds states that serialise to JSON (a fact is its own event without a cycle)', () => {
    const m = model();
    const state = m.derived(opportunityState, m.opportunities.get('O-1')!)!;
    const json = JSON.parse(JSON.stringify(state));
    expect(json.opened).toMatchObject({ type: 'OpportunityOpened', position: 1 });
    expect(json.close.data.value.amount).toBe(1_200_000);
    expect(state.opened.event).toBe(state.opened);
  });
});
