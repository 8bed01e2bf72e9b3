import {
  CommandRefusedError,
  type CommandInput,
  createLedger,
  getInMemoryEventStore,
  type RecordedEvent,
  readAllEvents,
} from '@referral-ledger/core';
import { buildModel, partnerView } from '@referral-ledger/projections';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoProgram } from '../demo/program.ts';
import { REPORT_NAMES, reports } from './index.ts';

const AS_OF = '2026-11-20T00:00:00.000Z';

async function generatedLog(seed: number, referrals: number): Promise<RecordedEvent[]> {
  const store = getInMemoryEventStore();
  const ledger = createLedger({ store, clock: () => new Date(AS_OF) });
  for (const cmd of demoProgram({ seed, referrals })) {
    try {
      await ledger.handle(cmd as unknown as CommandInput);
    } catch (e) {
      if (!(e instanceof CommandRefusedError)) throw e;
    }
  }
  const out: RecordedEvent[] = [];
  for await (const e of readAllEvents(store)) out.push(e);
  return out;
}

/** What each partner owns in a log: its id, name, contact email, and the ids only it is party to. */
function ownership(events: readonly RecordedEvent[]) {
  const partners = new Map<string, { name: string; email: string }>();
  const owners = new Map<string, Set<string>>(); // entity id -> partners involved
  const involve = (id: string, partnerId: string) => {
    const s = owners.get(id) ?? new Set<string>();
    owners.set(id, s);
    s.add(partnerId);
  };
  const referralOwner = new Map<string, string>();
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case 'PartnerEnrolled':
        partners.set(e.data.partnerId, { name: e.data.name, email: e.data.contactEmail });
        break;
      case 'ReferralSubmitted':
        referralOwner.set(e.data.referralId, e.data.partnerId);
        involve(e.data.referralId, e.data.partnerId);
        involve(e.data.lead.email.toLowerCase(), e.data.partnerId);
        break;
      case 'ReferralConverted':
        involve(e.data.opportunityId, referralOwner.get(e.data.referralId)!);
        break;
      case 'TouchpointRecorded':
        if (e.data.partyId !== 'house') involve(e.data.opportunityId, e.data.partyId);
        break;
      case 'AttributionDisputed':
        involve(e.data.disputeId, e.data.claimantPartnerId);
        involve(e.data.opportunityId, e.data.claimantPartnerId);
        break;
      case 'DisputeResolved':
        for (const c of e.data.credits ?? [])
          if (c.partyId !== 'house') involve(e.data.opportunityId, c.partyId);
        break;
      case 'CommissionApproved':
      case 'CommissionAdjusted':
        involve(e.data.opportunityId, e.data.partnerId);
        break;
      case 'PayoutScheduled':
        involve(e.data.payoutId, e.data.partnerId);
        for (const l of e.data.lines) involve(l.opportunityId, e.data.partnerId);
        break;
      case 'LeadShared':
        involve(e.data.shareId, e.data.partnerId);
        break;
      default:
        if (typeof d.partnerId === 'string' && e.type === 'AccountOverlapDetected') {
          involve(`${d.partnerId}:${String(d.accountDomain)}`, d.partnerId);
        }
    }
  }
  return { partners, owners };
}

/** Every string anywhere in a value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/**
 * Amounts by owner in an unscoped report: every integer of 1,000 or more inside an object
 * whose `partnerId` / `partyId` names a partner belongs to that partner; numbers elsewhere
 * (deal values, totals) belong to no one.
 */
function amountsByOwner(
  v: unknown,
  partners: ReadonlySet<string>,
  owner: string | null,
  out: Map<string, Set<number>>,
  unowned: Set<number>,
): void {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) >= 1000) {
      if (owner === null) unowned.add(v);
      else {
        const s = out.get(owner) ?? new Set<number>();
        out.set(owner, s);
        s.add(v);
      }
    }
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) amountsByOwner(x, partners, owner, out, unowned);
    return;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const named = [o.partnerId, o.partyId].find((x): x is string => typeof x === 'string' && partners.has(x));
    for (const x of Object.values(o)) amountsByOwner(x, partners, named ?? owner, out, unowned);
  }
}

/** Every number anywhere in a value. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbers(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) numbers(x, out);
  return out;
}

describe('partner-scoped reports (SPEC §7, §9 --partner)', () => {
  it('never show a partner an id, name or email that belongs only to other partners', async () => {
    const definitions = await Promise.all(REPORT_NAMES.map(async (n) => (await reports[n]!()).default));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const events = await generatedLog(seed, 30);
        const model = buildModel(events, { asOf: AS_OF });
        const { partners, owners } = ownership(events);
        // The check can fail: unscoped, the referrals report names many partners.
        const all = definitions.find((d) => d.name === 'referrals')!.build({ model, asOf: AS_OF });
        const named = new Set(strings(all.json).filter((s) => partners.has(s)));
        expect(named.size).toBeGreaterThan(3);
        let foreignAmountsSeen = 0;
        for (const partnerId of partners.keys()) {
          const foreignIds = new Set<string>();
          for (const [id, who] of owners) if (!who.has(partnerId)) foreignIds.add(id);
          for (const [other, p] of partners) {
            if (other === partnerId) continue;
            foreignIds.add(other);
            foreignIds.add(p.email.toLowerCase());
          }
          const foreignNames = [...partners].filter(([id]) => id !== partnerId).map(([, p]) => p.name);
          for (const def of definitions) {
            const doc = def.build({ model, asOf: AS_OF, partner: partnerId });
            // Amounts: none that the unscoped report gives only to other partners.
            const owned = new Map<string, Set<number>>();
            const unowned = new Set<number>();
            amountsByOwner(
              def.build({ model, asOf: AS_OF }).json,
              new Set(partners.keys()),
              null,
              owned,
              unowned,
            );
            const mine = owned.get(partnerId) ?? new Set<number>();
            const foreignAmounts = new Set<number>();
            for (const [who, nums] of owned)
              if (who !== partnerId)
                for (const n of nums) if (!mine.has(n) && !unowned.has(n)) foreignAmounts.add(n);
            foreignAmountsSeen += foreignAmounts.size;
            const leakedAmounts = numbers(doc.json).filter((n) => foreignAmounts.has(n));
            expect(leakedAmounts, `report ${def.name} --partner ${partnerId} amounts (seed ${seed})`).toEqual(
              [],
            );
            const seen = strings({ json: doc.json, tables: doc.tables });
            const leaked = seen.filter(
              (s) => foreignIds.has(s.toLowerCase()) || foreignNames.some((n) => s.includes(n)),
            );
            expect(leaked, `report ${def.name} --partner ${partnerId} (seed ${seed})`).toEqual([]);
          }
          // The portal's query: the same promise, beyond the own partner's name and email.
          const view = partnerView(model, partnerId);
          const viewLeaks = strings(view).filter(
            (s) => foreignIds.has(s.toLowerCase()) || foreignNames.some((n) => s.includes(n)),
          );
          expect(viewLeaks, `partnerView ${partnerId} (seed ${seed})`).toEqual([]);
        }
        // The amount check had something to find.
        expect(foreignAmountsSeen).toBeGreaterThan(0);
      }),
      { numRuns: 3 },
    );
  }, 120_000);

  it('tells a partner its lead was already registered, never by whom', async () => {
    const store = getInMemoryEventStore();
    const ledger = createLedger({ store, clock: () => new Date(AS_OF) });
    for (const id of ['P-1', 'P-2'])
      await ledger.handle({
        type: 'EnrollPartner',
        data: {
          partnerId: id,
          name: `Partner ${id}`,
          program: 'partner',
          tier: 'gold',
          contactEmail: `${id}@partners.example`,
          payoutCurrency: 'USD',
        },
        metadata: { occurredAt: '2026-01-01T00:00:00Z' },
      } as CommandInput);
    for (const [referralId, partnerId, day] of [
      ['R-1', 'P-1', '02'],
      ['R-2', 'P-2', '03'],
    ] as const)
      await ledger.handle({
        type: 'SubmitReferral',
        data: {
          referralId,
          partnerId,
          channel: 'portal',
          lead: { firstName: 'Ana', lastName: 'Lopez', email: 'ana@zeta.example', company: 'Zeta' },
        },
        metadata: { occurredAt: `2026-02-${day}T09:00:00Z` },
      } as CommandInput);
    const events: RecordedEvent[] = [];
    for await (const e of readAllEvents(store)) events.push(e);
    const model = buildModel(events, { asOf: AS_OF });
    const referrals = (await reports.referrals!()).default;
    const own = referrals.build({ model, asOf: AS_OF, partner: 'P-2' });
    const rows = (own.json as { referrals: { referralId: string; duplicateOf: unknown }[] }).referrals;
    expect(rows).toEqual([
      expect.objectContaining({ referralId: 'R-2', duplicateOf: { kind: 'referral', id: null } }),
    ]);
    // Unscoped, the partner manager sees which referral came first.
    const all = referrals.build({ model, asOf: AS_OF });
    const r2 = (all.json as { referrals: { referralId: string; duplicateOf: unknown }[] }).referrals.find(
      (r) => r.referralId === 'R-2',
    );
    expect(r2?.duplicateOf).toEqual({ kind: 'referral', id: 'R-1' });
    for (const name of REPORT_NAMES) {
      const doc = (await reports[name]!()).default.build({ model, asOf: AS_OF, partner: 'P-2' });
      const seen = strings({ json: doc.json, tables: doc.tables });
      expect(
        seen.filter((x) => ['R-1', 'P-1', 'Partner P-1'].includes(x)),
        name,
      ).toEqual([]);
    }
  });
});
