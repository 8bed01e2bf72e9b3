import type { EventData } from '@referral-ledger/core';
import {
  domainOf,
  type IngestCommand,
  type IngestContext,
  ingestEventId,
  refuse,
  toTimestamp,
  validateCommands,
} from './command.ts';
import { parseCsv } from './csv.ts';
import { normaliseName } from './form.ts';

/**
 * Account-overlap exports (Crossbeam, Reveal) → `RecordAccountOverlap` commands. Both tools
 * export account-mapping results as CSV, one row per overlapping account, with the partner's
 * name, the account's website or domain, and which population (Crossbeam: Customers, Open
 * Opportunities, Prospects) or status (Reveal: Customer, Prospect, plus an open-opportunity
 * flag) the account is in on each side. Columns are found by header name (see the aliases
 * below), without case, spaces or punctuation.
 */

type Rel = 'customer' | 'opportunity' | 'prospect';
const STRENGTH: Readonly<Record<Rel | 'none', number>> = {
  none: 0,
  prospect: 1,
  opportunity: 2,
  customer: 3,
};

const COLUMNS = {
  partner: ['partner', 'partnername', 'partnerorganization', 'partnercompany'],
  domain: [
    'website',
    'domain',
    'companydomain',
    'accountdomain',
    'companywebsite',
    'accountwebsite',
    'recordwebsite',
  ],
  ours: [
    'population',
    'populations',
    'yourpopulation',
    'yourpopulations',
    'ourpopulations',
    'yourstatus',
    'accountstatus',
    'status',
  ],
  theirs: ['partnerpopulation', 'partnerpopulations', 'partnerstatus', 'partneraccountstatus'],
  ourOpp: ['youropenopportunity', 'openopportunity', 'youropportunity'],
  theirOpp: ['partneropenopportunity', 'partneropportunity'],
  date: ['date', 'overlapdate', 'firstoverlapped', 'overlapsince', 'exportedat'],
} as const;

/** Options of the overlap importers. */
export interface OverlapOptions {
  /** The ledger partner every row belongs to (`--partner`); else matched by the row's partner name. */
  readonly partner?: string;
  /** When the export was taken, for rows without a date column (ISO-8601). */
  readonly exportedAt?: string;
  /** Enrolled partners, to resolve a row's partner name (case-insensitive). */
  readonly context?: IngestContext;
}

/** The strongest relationship a list of populations or statuses names (customer > opportunity > prospect). */
export function relationshipOf(text: string): Rel | undefined {
  let best: Rel | undefined;
  for (const part of text.split(/[;,|]/)) {
    const p = part.trim().toLowerCase();
    if (/churn|former|lost/.test(p)) continue;
    const rel: Rel | undefined = /customer|client/.test(p)
      ? 'customer'
      : /opportunit|open deal|pipeline/.test(p)
        ? 'opportunity'
        : /prospect|lead|target/.test(p)
          ? 'prospect'
          : undefined;
    if (rel && (!best || STRENGTH[rel] > STRENGTH[best])) best = rel;
  }
  return best;
}

const truthy = (v: string | undefined): boolean => /^(yes|true|1|y|open)$/i.test((v ?? '').trim());

/**
 * Map an overlap export (CSV text) to commands, refusing the whole file, naming the row and
 * column, at the first row it cannot map.
 * @example mapOverlapCsv('crossbeam', csv, { partner: 'P-1', exportedAt: '2026-02-01T00:00:00Z' })
 */
export function mapOverlapCsv(
  source: 'crossbeam' | 'reveal',
  csv: string,
  options: OverlapOptions = {},
): IngestCommand[] {
  if (typeof csv !== 'string') refuse(source, '', 'expected the CSV text of an overlap export');
  const rows = parseCsv(csv);
  const header = rows[0];
  if (!header) refuse(source, 'row 1', 'the file is empty');
  const names = header.map(normaliseName);
  const col = (k: keyof typeof COLUMNS): number =>
    names.findIndex((n) => (COLUMNS[k] as readonly string[]).includes(n));
  const idx = {
    partner: col('partner'),
    domain: col('domain'),
    ours: col('ours'),
    theirs: col('theirs'),
    ourOpp: col('ourOpp'),
    theirOpp: col('theirOpp'),
    date: col('date'),
  };
  if (idx.domain < 0)
    refuse(source, 'row 1', `no website or domain column (one of: ${COLUMNS.domain.join(', ')})`);
  if (idx.theirs < 0)
    refuse(source, 'row 1', `no partner population or status column (${COLUMNS.theirs.join(', ')})`);
  if (idx.partner < 0 && !options.partner) refuse(source, 'row 1', 'no partner column: pass the partner');
  const exportedAt = options.exportedAt === undefined ? undefined : toTimestamp(options.exportedAt);
  if (options.exportedAt !== undefined && !exportedAt) refuse(source, 'exportedAt', 'not a timestamp');
  const byName = new Map(
    (options.context?.partners ?? []).map((p) => [p.name.trim().toLowerCase(), p.partnerId]),
  );

  const merged = new Map<string, { data: EventData<'AccountOverlapDetected'>; at: string; row: string }>();
  rows.slice(1).forEach((r, i) => {
    const row = `row ${i + 2}`;
    if (r.every((c) => c.trim() === '')) return;
    const cell = (j: number): string => (j >= 0 ? (r[j] ?? '').trim() : '');
    let partnerId = options.partner;
    if (!partnerId) {
      const name = cell(idx.partner);
      if (!name) refuse(source, `${row}.${header[idx.partner]}`, 'no partner name');
      partnerId = byName.get(name.toLowerCase());
      if (!partnerId)
        refuse(
          source,
          `${row}.${header[idx.partner]}`,
          `partner "${name}" is not enrolled (pass the partner)`,
        );
    }
    const accountDomain = domainOf(cell(idx.domain));
    if (!accountDomain) refuse(source, `${row}.${header[idx.domain]}`, 'no website or domain');
    let theirs = relationshipOf(cell(idx.theirs));
    if (theirs === 'prospect' && truthy(cell(idx.theirOpp))) theirs = 'opportunity';
    if (!theirs && truthy(cell(idx.theirOpp))) theirs = 'opportunity';
    if (!theirs) {
      refuse(
        source,
        `${row}.${header[idx.theirs]}`,
        `"${cell(idx.theirs)}" names no customers, open opportunities or prospects`,
      );
    }
    let ours: Rel | 'none' = relationshipOf(cell(idx.ours)) ?? 'none';
    if (STRENGTH[ours] < STRENGTH.opportunity && truthy(cell(idx.ourOpp))) ours = 'opportunity';
    const at = idx.date >= 0 && cell(idx.date) ? toTimestamp(cell(idx.date)) : exportedAt;
    if (!at) {
      refuse(
        source,
        idx.date >= 0 ? `${row}.${header[idx.date]}` : row,
        idx.date >= 0 ? 'not a date' : 'the export has no date column: pass when it was exported',
      );
    }
    const key = `${partnerId}\u001f${accountDomain}`;
    const prev = merged.get(key);
    const data: EventData<'AccountOverlapDetected'> = {
      partnerId: partnerId as never,
      accountDomain,
      ourRelationship:
        prev && STRENGTH[prev.data.ourRelationship] > STRENGTH[ours] ? prev.data.ourRelationship : ours,
      partnerRelationship:
        prev && STRENGTH[prev.data.partnerRelationship] > STRENGTH[theirs]
          ? prev.data.partnerRelationship
          : theirs,
      source,
    };
    merged.set(key, { data, at: prev && prev.at > at ? prev.at : at, row });
  });
  const out = [...merged.values()].map(({ data, at, row }) =>
    Object.assign(
      {
        type: 'RecordAccountOverlap' as const,
        data,
        metadata: {
          eventId: ingestEventId(
            source,
            'overlap',
            data.partnerId,
            data.accountDomain,
            data.ourRelationship,
            data.partnerRelationship,
            at,
          ),
          occurredAt: at,
        },
      },
      { origin: row },
    ),
  );
  return validateCommands(source, out);
}

/** Crossbeam account-mapping export (CSV) → overlaps. */
export function mapCrossbeam(csv: unknown, options: OverlapOptions = {}): IngestCommand[] {
  return mapOverlapCsv('crossbeam', csv as string, options);
}

/** Reveal account-mapping export (CSV) → overlaps. */
export function mapReveal(csv: unknown, options: OverlapOptions = {}): IngestCommand[] {
  return mapOverlapCsv('reveal', csv as string, options);
}
