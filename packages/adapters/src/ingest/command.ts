import {
  type EventData,
  eventSchemas,
  minorDigits,
  type Money,
  money,
  uuidV5,
  ValidationError,
  type ValidationIssue,
  zodIssues,
} from '@referral-ledger/core';

/** The vendors `ingest` understands (SPEC §9). */
export const INGEST_SOURCES = ['hubspot', 'salesforce', 'typeform', 'tally', 'crossbeam', 'reveal'] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

/** Metadata a mapped command carries: a deterministic id and the vendor's business time. */
export interface IngestMetadata {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly actor?: { readonly kind: 'partner' | 'user' | 'system'; readonly id: string };
  readonly correlationId?: string;
}

/**
 * The commands a mapper may produce, in the shared command shape: `data` carries the fields of
 * the event the command produces.
 */
export type IngestCommand = {
  [T in keyof IngestEventOf]: {
    readonly type: T;
    readonly data: EventData<IngestEventOf[T]>;
    readonly metadata: IngestMetadata;
  };
}[keyof IngestEventOf];

/** Each command a mapper may produce, and the event whose fields its `data` carries. */
interface IngestEventOf {
  OpenOpportunity: 'OpportunityOpened';
  ChangeOpportunityValue: 'OpportunityValueChanged';
  WinOpportunity: 'OpportunityWon';
  LoseOpportunity: 'OpportunityLost';
  ReopenOpportunity: 'OpportunityReopened';
  SubmitReferral: 'ReferralSubmitted';
  ConvertReferral: 'ReferralConverted';
  RecordAccountOverlap: 'AccountOverlapDetected';
}

export type IngestCommandType = IngestCommand['type'];

/** What the ledger already knows about an opportunity, for mapping CRM snapshots (reads, SOAP). */
export interface KnownOpportunity {
  readonly status: 'open' | 'won' | 'lost';
  readonly value: Money;
  /** `occurredAt` of the latest event of the opportunity: older snapshots are ignored. */
  readonly lastEventAt: string;
}

/** What the ledger knows about a partner, for resolving partners by name (overlap exports). */
export interface KnownPartner {
  readonly partnerId: string;
  readonly name: string;
}

/**
 * Lookups a mapper may consult; all optional. The mapper stays pure: the caller (the facade or
 * the CLI) answers them from the ledger's state.
 */
export interface IngestContext {
  readonly opportunity?: (opportunityId: string) => KnownOpportunity | undefined;
  readonly partners?: readonly KnownPartner[];
}

/**
 * A deterministic event id from a vendor's own ids: the same payload always maps to the same
 * ids, so re-ingesting it appends nothing (SPEC §3.1 idempotent append).
 * @example ingestEventId('hubspot', 'deal', '123', 'opened')
 */
export function ingestEventId(source: IngestSource, ...parts: readonly (string | number)[]): string {
  return uuidV5(['ingest', source, ...parts.map(String)].join('\u001f'));
}

/** Refuse a payload: a `ValidationError` whose message names the source and the field or row. */
export function refuse(source: IngestSource, path: string, message: string): never {
  const issues: ValidationIssue[] = [{ path, message }];
  throw new ValidationError(`${source}: ${path ? `${path}: ` : ''}${message}`, issues, { eventType: source });
}

/** Rethrow zod issues as a refusal naming the first field. */
export function refuseIssues(source: IngestSource, issues: readonly ValidationIssue[]): never {
  const text = issues.map((i) => `${i.path || '(payload)'}: ${i.message}`).join('; ');
  throw new ValidationError(`${source}: ${text}`, issues, { eventType: source });
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string ("12000.5") as integer minor units of `currency`, exactly (no float),
 * rounding half up (away from zero) past the currency's digits. Returns undefined when `text`
 * is not a plain decimal number.
 * @example decimalToMinor('12000.5', 'USD') // 1200050
 */
export function decimalToMinor(text: string, currency: string): number | undefined {
  const m = DECIMAL.exec(text.trim().replace(/,/g, ''));
  if (!m) return undefined;
  const digits = minorDigits(currency);
  const frac = (m[3] ?? '').padEnd(digits + 1, '0');
  let units = BigInt(m[2]!) * 10n ** BigInt(digits) + BigInt(frac.slice(0, digits) || '0');
  if (Number(frac[digits]) >= 5) units += 1n;
  const n = Number(m[1] === '-' ? -units : units);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parse a vendor amount into Money, refusing what is not a decimal number. */
export function moneyFrom(source: IngestSource, path: string, text: unknown, currency: string): Money {
  const s = typeof text === 'number' ? String(text) : typeof text === 'string' ? text : undefined;
  const amount = s === undefined ? undefined : decimalToMinor(s, currency);
  if (amount === undefined) refuse(source, path, `must be a decimal amount, got ${JSON.stringify(text)}`);
  return money(amount, currency);
}

/** An ISO-8601 UTC timestamp from epoch milliseconds (a number or a numeric string). */
export function msToIso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

/**
 * A timestamp with an offset from what vendors send: epoch milliseconds, an ISO date-time
 * (with or without offset; without one it is read as UTC) or a plain date (midnight UTC).
 */
export function toTimestamp(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return msToIso(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d{10,}$/.test(v)) return msToIso(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return `${v.replace(' ', 'T')}Z`;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(v)) return new Date(t).toISOString();
  return undefined;
}

/**
 * The later of two timestamps: a close is dated by the CRM's close date, but never before the
 * opportunity's latest event (its opening, a value change, a reopening), so the log's business
 * time keeps the order in which things happened.
 */
export function notBefore(t: string, floor: string | undefined): string {
  return floor !== undefined && Date.parse(floor) > Date.parse(t) ? floor : t;
}

/** Lower-cased host of a website or the domain of an email, without `www.` (SPEC §5). */
export function domainOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (v.includes('@') && !v.includes('/')) v = v.slice(v.lastIndexOf('@') + 1);
  v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  v = v.split(/[/?#:]/)[0] ?? '';
  v = v.replace(/^www\./, '');
  return v === '' ? undefined : v;
}

/**
 * The commands that bring a CRM snapshot of an opportunity (a CRM read, a SOAP notification, a
 * CDC create) into the ledger, given what the ledger already knows: unknown → open (and close);
 * known and older than the ledger's latest event → nothing; known → value change, win, loss or
 * reopen as the snapshot differs. Ids derive from the opportunity id and the snapshot's time.
 */
export function snapshotCommands(
  source: IngestSource,
  snap: {
    readonly opened: EventData<'OpportunityOpened'>;
    readonly createdAt: string;
    readonly modifiedAt: string;
    readonly stage: 'open' | 'won' | 'lost';
    readonly closedAt?: string;
    readonly lostReason?: string;
  },
  known: KnownOpportunity | undefined,
): IngestCommand[] {
  const id = snap.opened.opportunityId;
  const out: IngestCommand[] = [];
  let closeAt = notBefore(snap.closedAt ?? snap.modifiedAt, snap.createdAt);
  const close = (): void => {
    if (snap.stage === 'won') {
      out.push({
        type: 'WinOpportunity',
        data: { opportunityId: id, value: snap.opened.value },
        metadata: { eventId: ingestEventId(source, 'opportunity', id, 'won', closeAt), occurredAt: closeAt },
      });
    } else if (snap.stage === 'lost') {
      out.push({
        type: 'LoseOpportunity',
        data: { opportunityId: id, reason: snap.lostReason ?? 'lost' },
        metadata: { eventId: ingestEventId(source, 'opportunity', id, 'lost', closeAt), occurredAt: closeAt },
      });
    }
  };
  if (known === undefined) {
    out.push({
      type: 'OpenOpportunity',
      data: snap.opened,
      metadata: { eventId: ingestEventId(source, 'opportunity', id, 'opened'), occurredAt: snap.createdAt },
    });
    close();
    return out;
  }
  if (Date.parse(snap.modifiedAt) <= Date.parse(known.lastEventAt)) return out;
  const at = snap.modifiedAt;
  closeAt = notBefore(closeAt, known.lastEventAt);
  if (known.status !== 'open' && snap.stage !== known.status) {
    closeAt = notBefore(closeAt, at);
    out.push({
      type: 'ReopenOpportunity',
      data: { opportunityId: id, reason: `reopened in ${source}` },
      metadata: { eventId: ingestEventId(source, 'opportunity', id, 'reopened', at), occurredAt: at },
    });
  }
  const v = snap.opened.value;
  const reopened = known.status !== 'open' && snap.stage !== known.status;
  if (snap.stage === 'open' || reopened || known.status === 'open') {
    if (snap.stage === 'open' && (v.amount !== known.value.amount || v.currency !== known.value.currency)) {
      out.push({
        type: 'ChangeOpportunityValue',
        data: { opportunityId: id, value: v },
        metadata: { eventId: ingestEventId(source, 'opportunity', id, 'value', at), occurredAt: at },
      });
    }
    if (snap.stage !== 'open' && (known.status === 'open' || reopened)) close();
  }
  return out;
}

const EVENT_OF: Readonly<Record<IngestCommandType, keyof typeof eventSchemas>> = {
  OpenOpportunity: 'OpportunityOpened',
  ChangeOpportunityValue: 'OpportunityValueChanged',
  WinOpportunity: 'OpportunityWon',
  LoseOpportunity: 'OpportunityLost',
  ReopenOpportunity: 'OpportunityReopened',
  SubmitReferral: 'ReferralSubmitted',
  ConvertReferral: 'ReferralConverted',
  RecordAccountOverlap: 'AccountOverlapDetected',
};

/**
 * Check every command's data against the schema of the event it produces, refusing the whole
 * payload (naming where the command came from and the field) at the first bad one.
 */
export function validateCommands(
  source: IngestSource,
  commands: readonly (IngestCommand & { readonly origin?: string })[],
): IngestCommand[] {
  return commands.map((c) => {
    const r = eventSchemas[EVENT_OF[c.type]].safeParse(c.data);
    if (!r.success) {
      const issues = zodIssues(r.error, c.origin ?? c.type);
      refuseIssues(source, issues);
    }
    const { origin: _o, ...command } = c as IngestCommand & { origin?: string };
    return command as IngestCommand;
  });
}
