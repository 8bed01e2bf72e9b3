import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ev, type LogLine, modelOf } from '../testing/ops-log.ts';
import { advocateBlocked, computeRequests } from './requests.ts';

const T = '2026-03-10T21:00:00Z';
const customer = (id: string, extra: Record<string, unknown> = {}) =>
  ev.enrol(id, '2025-06-01T00:00:00Z', {
    program: 'customer',
    customerSince: '2024-01-01T00:00:00Z',
    ...extra,
  });
const signal = (id: string, at: string, signal: string, score?: number) =>
  ev.on('AdvocacySignalRecorded', at, { partnerId: id, signal, ...(score === undefined ? {} : { score }) });
let n = 0;
const request = (id: string, at: string, step: string) =>
  ev.on('ReferralRequestSent', at, { partnerId: id, requestId: `Q-${++n}`, step, channel: 'email' });
const one = (lines: LogLine[], asOf = T) => computeRequests(modelOf(lines, { asOf }))[0]!;

describe('customer referral requests (SPEC §6.6)', () => {
  describe('blocked reasons, first that applies', () => {
    it('offboarded', () => {
      const c = one([
        customer('K-1'),
        signal('K-1', '2026-03-10T09:00:00Z', 'nps', 10),
        ev.on('PartnerOffboarded', '2026-03-01T00:00:00Z', { partnerId: 'K-1', reason: 'churned' }),
      ]);
      expect(c).toMatchObject({ blocked: 'offboarded', due: null });
    });

    it('tenure: under minTenureDays since customerSince, else since enrolment', () => {
      expect(
        one([
          customer('K-1', { customerSince: '2025-12-01T00:00:00Z' }),
          signal('K-1', '2026-03-10T09:00:00Z', 'qbr'),
        ]).blocked,
      ).toBe('tenure');
      // no customerSince: enrolled 2025-06-01, 282 days before T → not blocked
      expect(
        one([customer('K-1', { customerSince: undefined }), signal('K-1', '2026-03-10T09:00:00Z', 'qbr')])
          .blocked,
      ).toBeNull();
      expect(
        one([
          ev.enrol('K-1', '2026-01-01T00:00:00Z', { program: 'customer' }),
          signal('K-1', '2026-03-10T09:00:00Z', 'qbr'),
        ]).blocked,
      ).toBe('tenure');
    });

    it('quiet: a detractor signal (support issue or NPS ≤ 6) in the last quietDays', () => {
      expect(
        one([
          customer('K-1'),
          signal('K-1', '2026-02-20T09:00:00Z', 'support-issue'),
          signal('K-1', '2026-03-09T09:00:00Z', 'nps', 9),
        ]),
      ).toMatchObject({
        blocked: 'quiet',
        due: null,
      });
      expect(one([customer('K-1'), signal('K-1', '2026-03-01T09:00:00Z', 'nps', 6)]).blocked).toBe('quiet');
      // NPS 7 is neither promoter nor detractor; a support issue 31 days ago is past the quiet period
      expect(one([customer('K-1'), signal('K-1', '2026-03-01T09:00:00Z', 'nps', 7)]).blocked).toBeNull();
      expect(
        one([customer('K-1'), signal('K-1', '2026-02-07T20:00:00Z', 'support-issue')]).blocked,
      ).toBeNull();
    });

    it('quota: maxPerQuarter requests in the last 90 days', () => {
      const lines = [
        customer('K-1'),
        request('K-1', '2025-12-20T09:00:00Z', 'ask'),
        request('K-1', '2026-01-20T09:00:00Z', 'ask'),
        request('K-1', '2026-02-20T09:00:00Z', 'ask'),
        signal('K-1', '2026-03-10T09:00:00Z', 'roi'),
      ];
      expect(one(lines)).toMatchObject({ blocked: 'quota', due: null, requestsLast90Days: 3 });
      // 90 days after the first request it drops out of the window: (T − 90 d, T]
      expect(one(lines, '2026-03-20T09:00:00Z')).toMatchObject({ blocked: null, requestsLast90Days: 2 });
    });
  });

  describe('due steps', () => {
    it('ask: a promoter signal after the last ask, within askWindowDays; overdue after askWithinHours', () => {
      expect(one([customer('K-1'), signal('K-1', '2026-03-10T09:00:00Z', 'nps', 10)]).due).toEqual({
        step: 'ask',
        since: '2026-03-10T09:00:00.000Z',
        overdue: false,
      });
      expect(one([customer('K-1'), signal('K-1', '2026-03-08T09:00:00Z', 'milestone')]).due).toEqual({
        step: 'ask',
        since: '2026-03-08T09:00:00.000Z',
        overdue: true,
      });
      // older than askWindowDays (7): nothing due
      expect(one([customer('K-1'), signal('K-1', '2026-03-03T20:59:00Z', 'qbr')]).due).toBeNull();
    });

    it('follow-up: followUpDays after the ask, none sent since, no referral since', () => {
      const lines = [
        customer('K-2'),
        signal('K-2', '2026-03-01T09:00:00Z', 'qbr'),
        request('K-2', '2026-03-01T11:00:00Z', 'ask'),
      ];
      expect(one(lines)).toMatchObject({
        blocked: null,
        due: { step: 'follow-up', since: '2026-03-08T11:00:00.000Z', overdue: true },
        requestsLast90Days: 1,
      });
      expect(one(lines, '2026-03-08T10:59:00Z').due).toBeNull(); // not yet 7 days
      expect(one([...lines, ev.submit('R-1', 'K-2', '2026-03-05T09:00:00Z')]).due).toBeNull();
    });

    it('alternative-ask: alternativeAskDays after the ask once a follow-up went out', () => {
      const lines = [
        customer('K-1'),
        request('K-1', '2026-02-23T21:00:00Z', 'ask'),
        request('K-1', '2026-03-02T21:00:00Z', 'follow-up'),
      ];
      // ask 15 days before T: due since ask + 14 days, exactly 24 h ago → not overdue
      expect(one(lines).due).toEqual({
        step: 'alternative-ask',
        since: '2026-03-09T21:00:00.000Z',
        overdue: false,
      });
      expect(one([...lines, request('K-1', '2026-03-10T09:00:00Z', 'alternative-ask')]).due).toBeNull();
      expect(one(lines, '2026-03-08T21:00:00Z').due).toBeNull(); // followed up, alternative not yet due
    });

    it('a new promoter signal after the last ask makes a new ask due', () => {
      const c = one([
        customer('K-1'),
        request('K-1', '2026-01-10T09:00:00Z', 'ask'),
        signal('K-1', '2026-03-09T09:00:00Z', 'nps', 9),
      ]);
      expect(c.due).toEqual({ step: 'ask', since: '2026-03-09T09:00:00.000Z', overdue: true });
    });
  });

  it('lists only enrolled customers, and advocateBlocked agrees with the report', () => {
    const model = modelOf(
      [
        ev.enrol('P-1', '2025-01-01T00:00:00Z'),
        customer('K-3'),
        signal('K-3', '2026-02-20T09:00:00Z', 'support-issue'),
      ],
      {
        asOf: T,
      },
    );
    expect(computeRequests(model).map((c) => c.partnerId)).toEqual(['K-3']);
    expect(advocateBlocked(model, 'K-3', T)).toBe('quiet');
    expect(advocateBlocked(model, 'K-3', Date.parse('2026-03-22T09:00:01Z'))).toBeNull(); // 30 days on
  });

  it('never marks a blocked customer due (property)', () => {
    const day = 86_400_000;
    const start = Date.parse('2025-06-01T00:00:00Z');
    const kinds = [
      'nps',
      'milestone',
      'qbr',
      'roi',
      'support-issue',
      'ask',
      'follow-up',
      'alternative-ask',
      'referral',
      'offboard',
    ] as const;
    const event = fc.record({
      kind: fc.constantFrom(...kinds),
      offset: fc.integer({ min: 0, max: 300 * day }),
      score: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 25 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 320 * day }),
        (events, tenureDays, asOffset) => {
          const iso = (ms: number) => new Date(ms).toISOString();
          const lines: LogLine[] = [customer('K-1', { customerSince: iso(start - tenureDays * day) })];
          events.forEach((e, i) => {
            const at = iso(start + e.offset);
            if (e.kind === 'ask' || e.kind === 'follow-up' || e.kind === 'alternative-ask')
              lines.push(request('K-1', at, e.kind));
            else if (e.kind === 'referral') lines.push(ev.submit(`R-${i}`, 'K-1', at));
            else if (e.kind === 'offboard')
              lines.push(ev.on('PartnerOffboarded', at, { partnerId: 'K-1', reason: 'left' }));
            else lines.push(signal('K-1', at, e.kind, e.kind === 'nps' ? e.score : undefined));
          });
          const asOf = start + asOffset;
          const model = modelOf(lines, { asOf });
          const [c] = computeRequests(model);
          expect(c).toBeDefined();
          if (c!.blocked !== null) expect(c!.due).toBeNull();
          expect(c!.blocked).toBe(advocateBlocked(model, 'K-1', asOf));
        },
      ),
      { numRuns: 200 },
    );
  });
});
