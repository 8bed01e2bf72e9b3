import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { DEFAULT_RULES } from './defaults.ts';
import { resolveRuleSet } from './resolve.ts';

describe('resolveRuleSet (SPEC §4)', () => {
  it('fills every omitted field with its default', () => {
    const r = resolveRuleSet({ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' });
    expect(r).toEqual({ ...DEFAULT_RULES, version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z' });
  });

  it('merges objects key by key and replaces arrays and null', () => {
    const r = resolveRuleSet({
      version: 'v2',
      effectiveFrom: '2026-01-01T00:00:00Z',
      registration: { matchOn: ['domain'] },
      commission: {
        rates: { sourced: { gold: 2500 } },
        recurring: { rates: { bronze: 500, silver: 750, gold: 1000 } },
      },
      sla: {
        businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      },
    });
    expect(r.registration.matchOn).toEqual(['domain']);
    expect(r.registration.protectionDays).toBe(60);
    expect(r.commission.rates.sourced).toEqual({ bronze: 1000, silver: 1500, gold: 2500 });
    expect(r.commission.rates.influenced).toEqual(DEFAULT_RULES.commission.rates.influenced);
    expect(r.commission.recurring?.rates.silver).toBe(750);
    expect(r.sla.businessHours?.timeZone).toBe('Europe/Berlin');
  });

  it('names the bad field of an invalid rule set', () => {
    const attempt = () =>
      resolveRuleSet(
        {
          version: 'v3',
          effectiveFrom: '2026-01-01T00:00:00Z',
          commission: { rates: { sourced: { gold: 12.5 } } },
        },
        'rules.json',
      );
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/rules\.json: commission\.rates\.sourced\.gold/);
  });

  it('refuses unknown top-level fields and a model that does not exist', () => {
    expect(() =>
      resolveRuleSet({ version: 'v', effectiveFrom: '2026-01-01T00:00:00Z', atribution: {} }),
    ).toThrow(/unknown field "atribution"/);
    expect(() =>
      resolveRuleSet({
        version: 'v',
        effectiveFrom: '2026-01-01T00:00:00Z',
        attribution: { model: 'magic' },
      }),
    ).toThrow(/attribution\.model/);
  });

  it('validates condition groups', () => {
    const ok = resolveRuleSet({
      version: 'v',
      effectiveFrom: '2026-01-01T00:00:00Z',
      commission: {
        conditions: [
          {
            name: 'enterprise boost',
            when: {
              all: [
                { field: 'deal.value', op: 'gte', value: 10000000 },
                { any: [{ field: 'deal.attributes.segment', op: 'eq', value: 'enterprise' }] },
              ],
            },
            then: { rateBps: 2500 },
          },
        ],
      },
    });
    expect(ok.commission.conditions).toHaveLength(1);
    expect(() =>
      resolveRuleSet({
        version: 'v',
        effectiveFrom: '2026-01-01T00:00:00Z',
        commission: {
          conditions: [
            {
              name: 'x',
              when: { all: [{ field: 'deal.colour', op: 'eq', value: 1 }] },
              then: { rateBps: 1 },
            },
          ],
        },
      }),
    ).toThrow(/commission\.conditions/);
  });
});
