import fc from 'fast-check';
import { DEFAULT_RULES } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { deadlineAfter, elapsedMs, firstContactMinutes } from './clock.ts';

const berlin = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('SLA clock (SPEC §6.8)', () => {
  it('counts plain calendar time without business hours', () => {
    expect(elapsedMs(t('2026-06-01T08:00:00Z'), t('2026-06-01T11:00:00Z'), null)).toBe(3 * H);
    expect(firstContactMinutes(t('2026-06-01T08:00:00Z'), t('2026-06-01T11:00:59Z'), DEFAULT_RULES)).toBe(
      180,
    );
  });

  it('counts only business hours across a weekend and the spring DST change', () => {
    // Fri 27 Mar 2026 16:00 CET (15:00Z) → Mon 30 Mar 10:00 CEST (08:00Z); clocks went forward on Sun 29 Mar.
    // Friday 16:00–17:00 = 1 h, Monday 09:00–10:00 local = 1 h. Ignoring DST would give 1 h.
    expect(elapsedMs(t('2026-03-27T15:00:00Z'), t('2026-03-30T08:00:00Z'), berlin)).toBe(2 * H);
  });

  it('counts business hours across the autumn DST change', () => {
    // Fri 23 Oct 2026 16:00 CEST (14:00Z) → Mon 26 Oct 10:00 CET (09:00Z): 1 h + 1 h.
    expect(elapsedMs(t('2026-10-23T14:00:00Z'), t('2026-10-26T09:00:00Z'), berlin)).toBe(2 * H);
  });

  it('counts nothing outside business hours and 40 h in a full week', () => {
    expect(elapsedMs(t('2026-03-28T08:00:00Z'), t('2026-03-29T20:00:00Z'), berlin)).toBe(0); // a weekend
    expect(elapsedMs(t('2026-06-01T00:00:00Z'), t('2026-06-08T00:00:00Z'), berlin)).toBe(40 * H);
  });

  it('puts a 4 h deadline on the next business day, in the new DST offset', () => {
    // 1 h on Friday, the remaining 3 h on Monday: 12:00 CEST = 10:00Z.
    expect(deadlineAfter(t('2026-03-27T15:00:00Z'), 4 * H, berlin)).toBe(t('2026-03-30T10:00:00Z'));
    expect(deadlineAfter(t('2026-03-27T15:00:00Z'), 4 * H, null)).toBe(t('2026-03-27T19:00:00Z'));
  });

  it('starts the clock at opening time for a submission made at night', () => {
    // Tue 2 Jun 2026 03:00 CEST → 2 h after 09:00 local = 11:00 CEST = 09:00Z.
    expect(deadlineAfter(t('2026-06-02T01:00:00Z'), 2 * H, berlin)).toBe(t('2026-06-02T09:00:00Z'));
  });

  it('uses business hours for firstContactMinutes when the rule set has them', () => {
    const rules = { ...DEFAULT_RULES, sla: { ...DEFAULT_RULES.sla, businessHours: berlin } };
    expect(firstContactMinutes(t('2026-03-27T15:00:00Z'), t('2026-03-30T08:30:00Z'), rules)).toBe(150);
  });
});

describe('elapsedMs with a cap', () => {
  it('stops once over the cap, keeping the over-budget verdict', () => {
    const berlin = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
    const from = Date.parse('2026-06-01T07:00:00Z'); // Monday 09:00 CEST
    const to = Date.parse('2027-06-01T07:00:00Z');
    const capped = elapsedMs(from, to, berlin, 4 * 3_600_000);
    expect(capped).toBe(8 * 3_600_000); // the first full day already exceeds 4 h
    expect(elapsedMs(from, to, berlin)).toBeGreaterThan(2000 * 3_600_000);
  });
});

describe('business-hours clock properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
  const hoursArb = fc.record({
    timeZone: fc.constantFrom(...zones),
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    start: fc.constantFrom('00:00', '08:30', '09:00'),
    end: fc.constantFrom('12:00', '17:00', '24:00'),
  });
  const instant = fc.integer({
    min: Date.parse('2025-01-01T00:00:00Z'),
    max: Date.parse('2027-01-01T00:00:00Z'),
  });

  it('is additive over adjacent intervals and never exceeds calendar time', () => {
    fc.assert(
      fc.property(
        hoursArb,
        instant,
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        (h, a, d1, d2) => {
          const b = a + d1;
          const c = b + d2;
          const ab = elapsedMs(a, b, h);
          expect(ab + elapsedMs(b, c, h)).toBe(elapsedMs(a, c, h));
          expect(ab).toBeLessThanOrEqual(b - a);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('puts the deadline exactly where the budget of business time is used up', () => {
    fc.assert(
      fc.property(hoursArb, instant, fc.integer({ min: 1, max: 60 * 60 }), (h, from, budgetMinutes) => {
        const budget = budgetMinutes * 60_000;
        const deadline = deadlineAfter(from, budget, h);
        expect(deadline).not.toBeNull();
        expect(elapsedMs(from, deadline!, h)).toBe(budget);
      }),
      { numRuns: 150 },
    );
  });
});
