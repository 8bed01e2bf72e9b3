import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMMAND_TYPES,
  type CommandInput,
  createLedger,
  type EventStore,
  getInMemoryEventStore,
  LedgerError,
} from '@referral-ledger/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importNdjsonFile } from '../files.ts';
import { ingestPayload } from '../ingest/apply.ts';
import type { IngestSource } from '../ingest/command.ts';
import { memoryAnchorStore, withIntegrity } from '../integrity/store.ts';
import { memoryKeyStore } from '../privacy/keys.ts';
import { withPrivacy } from '../privacy/store.ts';

/** A store like the CLI's: chained and sealed, over memory. */
async function guardedStore(): Promise<{ raw: EventStore; store: EventStore }> {
  const raw = getInMemoryEventStore();
  const store = await withPrivacy(withIntegrity(raw, { anchors: memoryAnchorStore() }), {
    keys: memoryKeyStore(),
    secret: 'fuzz',
  });
  return { raw, store };
}

const VALID_LINES: readonly Record<string, unknown>[] = [
  {
    streamId: 'partner-P-1',
    type: 'PartnerEnrolled',
    data: {
      partnerId: 'P-1',
      name: 'Partner One',
      program: 'partner',
      tier: 'gold',
      contactEmail: 'p1@partners.example',
      payoutCurrency: 'USD',
    },
    metadata: { occurredAt: '2026-01-01T00:00:00Z' },
  },
  {
    streamId: 'referral-R-1',
    type: 'ReferralSubmitted',
    data: {
      referralId: 'R-1',
      partnerId: 'P-1',
      channel: 'portal',
      lead: { firstName: 'Ana', lastName: 'Lopez', email: 'ana@zeta.example', company: 'Zeta' },
    },
    metadata: { occurredAt: '2026-01-02T00:00:00Z' },
  },
  {
    streamId: 'opportunity-O-1',
    type: 'OpportunityOpened',
    data: {
      opportunityId: 'O-1',
      accountDomain: 'zeta.example',
      accountName: 'Zeta',
      value: { amount: 100_000, currency: 'USD' },
      ownerId: 'ae',
      contactEmails: ['ana@zeta.example'],
    },
    metadata: { occurredAt: '2026-01-03T00:00:00Z' },
  },
];

/** Set `value` at a path of nested keys (creating nothing that is not there). */
function mutate(obj: unknown, path: readonly string[], value: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

function pathsOf(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null) return [prefix];
  const out: string[][] = prefix.length ? [prefix] : [];
  for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

const ALL_PATHS = VALID_LINES.map((l) => pathsOf(l));

/** A clear error: a ledger error with a code and a one-line message of substance. */
function expectClear(e: unknown): void {
  expect(e).toBeInstanceOf(LedgerError);
  const err = e as LedgerError;
  expect(err.code).toMatch(/^[a-z-.]+$/);
  expect(err.message.length).toBeGreaterThan(10);
  expect(err.message).not.toMatch(/undefined|\[object Object\]/);
}

describe('bad input is refused clearly and appends nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-fuzz-'));

  it('NDJSON import: random mutations of a valid file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: VALID_LINES.length - 1 }),
        fc.nat(),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        fc.boolean(),
        fc.oneof(fc.constant(''), fc.constant('{'), fc.constant('[]'), fc.constant('null'), fc.string()),
        async (line, pathPick, value, remove, garbage) => {
          const paths = ALL_PATHS[line]!;
          const path = paths[pathPick % paths.length]!;
          const lines = VALID_LINES.map((l, i) =>
            i === line
              ? JSON.stringify(mutate(l, path, value, remove || value === undefined))
              : JSON.stringify(l),
          );
          if (garbage !== '' && pathPick % 3 === 0) lines.splice(pathPick % (lines.length + 1), 0, garbage);
          const file = join(dir, `f-${line}-${pathPick}.ndjson`);
          writeFileSync(file, lines.join('\n'));
          const { raw, store } = await guardedStore();
          try {
            await importNdjsonFile(store, file);
          } catch (e) {
            expectClear(e);
            expect((e as Error).message).toMatch(/line \d+|no such file/);
            expect(await raw.headPosition()).toBe(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('commands: random payloads for every command type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMAND_TYPES, 'NoSuchCommand'),
        fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
        fc.option(fc.dictionary(fc.constantFrom('occurredAt', 'eventId', 'actor'), fc.jsonValue())),
        async (type, data, metadata) => {
          const { raw, store } = await guardedStore();
          const ledger = createLedger({ store, secret: 'fuzz' });
          const head = await raw.headPosition();
          try {
            await ledger.handle({ type, data, ...(metadata ? { metadata } : {}) } as unknown as CommandInput);
          } catch (e) {
            expectClear(e);
            expect(await raw.headPosition()).toBe(head);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rule sets: random rules are refused naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('registration', 'attribution', 'commission', 'currency', 'sla', 'x'),
          fc.jsonValue(),
        ),
        async (rules) => {
          const { raw, store } = await guardedStore();
          const ledger = createLedger({ store, secret: 'fuzz' });
          try {
            await ledger.handle({
              type: 'PublishRuleSet',
              data: { version: 'v-fuzz', effectiveFrom: '2026-01-01T00:00:00Z', rules },
              metadata: { occurredAt: '2026-01-01T00:00:00Z' },
            } as unknown as CommandInput);
          } catch (e) {
            expectClear(e);
            expect(await raw.headPosition()).toBe(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ingest payloads: random and mutated vendor payloads', async () => {
    const fixtures = [
      ['hubspot', 'hubspot/webhook-deal-won.json'],
      ['salesforce', 'salesforce/cdc-opportunity-create.json'],
      ['typeform', 'typeform/form-response.json'],
      ['tally', 'tally/form-response.json'],
      ['crossbeam', 'crossbeam/account-mapping-export.csv'],
    ] as const;
    const texts = fixtures.map(
      ([source, file]) =>
        [source, readFileSync(join(import.meta.dirname, '../ingest/fixtures', file), 'utf8')] as const,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 8 }),
        async (pick, at, cut, insert) => {
          const [source, text] = texts[pick]!;
          const i = at % (text.length + 1);
          const mutated = text.slice(0, i) + insert + text.slice(i + cut);
          const { raw, store } = await guardedStore();
          try {
            await ingestPayload(store, source as IngestSource, mutated, { partner: 'P-1', secret: 'fuzz' });
          } catch (e) {
            expectClear(e);
            expect(await raw.headPosition()).toBe(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
