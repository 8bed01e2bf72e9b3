import type { EventData, Money } from '@referral-ledger/core';
import {
  domainOf,
  type IngestCommand,
  type IngestContext,
  ingestEventId,
  type KnownOpportunity,
  moneyFrom,
  msToIso,
  notBefore,
  refuse,
  snapshotCommands,
  toTimestamp,
  validateCommands,
} from './command.ts';
import { child, childrenNamed, parseXml, type XmlElement, XmlSyntaxError } from './xml.ts';

/**
 * Salesforce → commands, for Opportunity and Lead records, from either channel Salesforce offers:
 * - an Outbound Message: the SOAP envelope a workflow posts (`notifications` with up to 100
 *   `Notification`s, each an `sObject` of `xsi:type="sf:Opportunity"` or `sf:Lead` holding
 *   the fields chosen for the message) — a snapshot of the record;
 * - Change Data Capture events (`OpportunityChangeEvent`, `LeadChangeEvent`) as JSON: the CometD
 *   message `{channel, data: {payload, event: {replayId}}}`, its bare `payload`, or an array of
 *   them. The `ChangeEventHeader` gives the change type, record ids, changed fields and the commit
 *   time; a CREATE holds every non-null field, an UPDATE only the changed ones.
 */

/** Options of the Salesforce mapper; every one has a default. */
export interface SalesforceOptions {
  /** Currency of amounts without `CurrencyIsoCode` (default `USD`). */
  readonly currency?: string;
  /** Prefix of ledger ids made from record ids (default none: Salesforce ids are unique). */
  readonly idPrefix?: string;
  /**
   * Field holding the account's domain on an Opportunity (default `Account_Domain__c`): neither
   * channel can carry the related Account's `Website`, so a custom field (or `accounts`) gives it.
   */
  readonly accountDomainField?: string;
  /** Field holding the account's name on an Opportunity (default `Account_Name__c`, else `Name`). */
  readonly accountNameField?: string;
  /** Account id → domain and name, when the domain is not a field of the opportunity. */
  readonly accounts?: Readonly<Record<string, { readonly domain: string; readonly name?: string }>>;
  /** Field with the loss reason (default `Loss_Reason__c`, else the stage name). */
  readonly lostReasonField?: string;
  /** Lead field with the referring partner's ledger id (default `Referral_Partner_Id__c`). */
  readonly partnerField?: string;
  /** The partner to credit when a lead has no partner field. */
  readonly partner?: string;
  /** Lead field with the estimated deal size (default `Estimated_Deal_Size__c`). */
  readonly estimatedValueField?: string;
  /** Refuse Outbound Messages from another org (the 15- or 18-character org id). */
  readonly organizationId?: string;
  readonly context?: IngestContext;
}

type Fields = Readonly<Record<string, unknown>>;
type Tagged = IngestCommand & { origin?: string };

const str = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v === ''
      ? undefined
      : v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : undefined;

/**
 * Map a Salesforce payload — SOAP XML text, or parsed CDC JSON — to commands; refuses the whole
 * payload, naming the notification or event and the field, at the first thing it cannot map.
 */
export function mapSalesforce(payload: unknown, options: SalesforceOptions = {}): IngestCommand[] {
  if (typeof payload === 'string') {
    const t = payload.trimStart();
    if (t.startsWith('<')) return mapOutboundMessage(t, options);
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      refuse('salesforce', '', 'expected an Outbound Message (SOAP XML) or Change Data Capture JSON');
    }
    return mapChangeEvents(json, options);
  }
  return mapChangeEvents(payload, options);
}

class Mapper {
  readonly out: Tagged[] = [];
  readonly state = new Map<string, KnownOpportunity>();
  readonly o: SalesforceOptions;
  constructor(o: SalesforceOptions) {
    this.o = o;
  }
  get prefix(): string {
    return this.o.idPrefix ?? '';
  }
  known(id: string): KnownOpportunity | undefined {
    return this.state.get(id) ?? this.o.context?.opportunity?.(id);
  }
  currency(f: Fields, id?: string): string {
    return (
      str(f.CurrencyIsoCode) ?? (id ? this.known(id)?.value.currency : undefined) ?? this.o.currency ?? 'USD'
    );
  }
  stageOf(f: Fields): 'open' | 'won' | 'lost' | undefined {
    const won = str(f.IsWon);
    const closed = str(f.IsClosed);
    if (won === 'true') return 'won';
    if (closed === 'true') return 'lost';
    if (closed === 'false') return 'open';
    const stage = str(f.StageName);
    if (stage === undefined) return undefined;
    if (/^closed\s*won$/i.test(stage)) return 'won';
    if (/^closed\s*lost$/i.test(stage)) return 'lost';
    return 'open';
  }

  /** A full record (Outbound Message, CDC CREATE): open it, or bring a known one up to date. */
  opportunitySnapshot(f: Fields, path: string, createdFallback?: string): void {
    const sfId = str(f.Id);
    if (!sfId) refuse('salesforce', `${path}.Id`, 'missing');
    const id = this.prefix + sfId;
    const domainField = this.o.accountDomainField ?? 'Account_Domain__c';
    const account = str(f.AccountId) ? this.o.accounts?.[str(f.AccountId)!] : undefined;
    const accountDomain = domainOf(str(f[domainField])) ?? domainOf(account?.domain);
    if (!accountDomain) {
      refuse(
        'salesforce',
        `${path}.${domainField}`,
        'no account domain: add the field to the message or pass accounts',
      );
    }
    const createdAt = toTimestamp(f.CreatedDate) ?? createdFallback;
    if (!createdAt) refuse('salesforce', `${path}.CreatedDate`, 'missing or not a timestamp');
    const modifiedAt = toTimestamp(f.LastModifiedDate) ?? toTimestamp(f.SystemModstamp) ?? createdAt;
    const stage = this.stageOf(f);
    if (!stage) refuse('salesforce', `${path}.StageName`, 'missing (or add IsClosed and IsWon)');
    const currency = this.currency(f);
    const opened: EventData<'OpportunityOpened'> = {
      opportunityId: id as never,
      accountDomain,
      accountName:
        str(f[this.o.accountNameField ?? 'Account_Name__c']) ?? account?.name ?? str(f.Name) ?? accountDomain,
      value: moneyFrom('salesforce', `${path}.Amount`, str(f.Amount) ?? '0', currency),
      ownerId: str(f.OwnerId) ?? 'unassigned',
      attributes: { crm: 'salesforce', ...(str(f.Type) ? { type: str(f.Type)! } : {}) },
    };
    const closedAt = toTimestamp(f.CloseDate);
    const lostReason = str(f[this.o.lostReasonField ?? 'Loss_Reason__c']) ?? str(f.StageName);
    const cmds = snapshotCommands(
      'salesforce',
      {
        opened,
        createdAt,
        modifiedAt,
        stage,
        ...(closedAt ? { closedAt } : {}),
        ...(lostReason ? { lostReason } : {}),
      },
      this.known(id),
    );
    for (const c of cmds) this.out.push({ ...c, origin: path });
    if (cmds.length > 0) this.state.set(id, { status: stage, value: opened.value, lastEventAt: modifiedAt });
  }

  /** A lead: a referral submission, and its conversion once converted. */
  lead(f: Fields, path: string, at?: string): void {
    const sfId = str(f.Id);
    if (!sfId) refuse('salesforce', `${path}.Id`, 'missing');
    const partnerField = this.o.partnerField ?? 'Referral_Partner_Id__c';
    const partnerId = str(f[partnerField]) ?? this.o.partner;
    if (!partnerId)
      refuse(
        'salesforce',
        `${path}.${partnerField}`,
        'no referring partner: set the field or pass the partner',
      );
    const occurredAt = toTimestamp(f.CreatedDate) ?? at;
    if (!occurredAt) refuse('salesforce', `${path}.CreatedDate`, 'missing or not a timestamp');
    const name = (f.Name ?? {}) as Fields;
    const lead: Record<string, unknown> = {};
    const put = (k: string, v: unknown): void => {
      const s = str(v);
      if (s !== undefined) lead[k] = s;
    };
    put('firstName', f.FirstName ?? (typeof name === 'object' ? name.FirstName : undefined));
    put('lastName', f.LastName ?? (typeof name === 'object' ? name.LastName : undefined));
    put('email', f.Email);
    put('company', f.Company);
    put('phone', f.Phone);
    put('title', f.Title);
    put('website', f.Website);
    put('notes', f.Description);
    const estField = this.o.estimatedValueField ?? 'Estimated_Deal_Size__c';
    if (str(f[estField]) !== undefined) {
      lead.estimatedValue = moneyFrom(
        'salesforce',
        `${path}.${estField}`,
        str(f[estField]),
        this.currency(f),
      );
    }
    const referralId = this.prefix + sfId;
    this.out.push({
      type: 'SubmitReferral',
      data: {
        referralId: referralId as never,
        partnerId: partnerId as never,
        channel: 'crm',
        lead: lead as never,
      },
      metadata: { eventId: ingestEventId('salesforce', 'lead', sfId, 'submitted'), occurredAt },
      origin: path,
    });
    this.conversion(f, path, sfId, at);
  }

  conversion(f: Fields, path: string, sfId: string, at?: string): void {
    if (str(f.IsConverted) !== 'true') return;
    const opp = str(f.ConvertedOpportunityId);
    if (!opp) return;
    const occurredAt = toTimestamp(f.ConvertedDate) ?? toTimestamp(f.LastModifiedDate) ?? at;
    if (!occurredAt) refuse('salesforce', `${path}.ConvertedDate`, 'missing or not a date');
    this.out.push({
      type: 'ConvertReferral',
      data: { referralId: (this.prefix + sfId) as never, opportunityId: (this.prefix + opp) as never },
      metadata: { eventId: ingestEventId('salesforce', 'lead', sfId, 'converted', opp), occurredAt },
      origin: path,
    });
  }
}

function text(el: XmlElement | undefined): string | undefined {
  if (!el || el.attributes['xsi:nil'] === 'true') return undefined;
  return el.text.trim();
}

function mapOutboundMessage(xml: string, options: SalesforceOptions): IngestCommand[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) refuse('salesforce', '', `not well-formed XML: ${e.message}`);
    throw e;
  }
  const body = root.local === 'Envelope' ? child(root, 'Body') : undefined;
  const notifications = body ? child(body, 'notifications') : undefined;
  if (!notifications) refuse('salesforce', 'Envelope.Body.notifications', 'missing: not an Outbound Message');
  const org = text(child(notifications, 'OrganizationId'));
  if (!org) refuse('salesforce', 'notifications.OrganizationId', 'missing');
  if (options.organizationId && org.slice(0, 15) !== options.organizationId.slice(0, 15)) {
    refuse(
      'salesforce',
      'notifications.OrganizationId',
      `${org} is not the expected org ${options.organizationId}`,
    );
  }
  const list = childrenNamed(notifications, 'Notification');
  if (list.length === 0) refuse('salesforce', 'notifications.Notification', 'no notification in the message');
  const m = new Mapper(options);
  list.forEach((n, i) => {
    const path = `Notification[${i}]`;
    if (!text(child(n, 'Id'))) refuse('salesforce', `${path}.Id`, 'missing');
    const so = child(n, 'sObject');
    if (!so) refuse('salesforce', `${path}.sObject`, 'missing');
    const type = (so.attributes['xsi:type'] ?? '').replace(/^.*:/, '');
    const f: Record<string, string> = {};
    for (const c of so.children) {
      const v = text(c);
      if (v !== undefined) f[c.local] = v;
    }
    if (type === 'Opportunity') m.opportunitySnapshot(f, `${path}.sObject`);
    else if (type === 'Lead') m.lead(f, `${path}.sObject`);
    else
      refuse(
        'salesforce',
        `${path}.sObject`,
        `xsi:type "${type}" is not mapped (sf:Opportunity, sf:Lead are)`,
      );
  });
  return validateCommands('salesforce', m.out);
}

interface Header {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changedFields: string[];
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
}

function header(p: Fields, path: string): Header {
  const h = p.ChangeEventHeader as Record<string, unknown> | undefined;
  if (typeof h !== 'object' || h === null) refuse('salesforce', `${path}.ChangeEventHeader`, 'missing');
  const need = <T>(k: string, ok: (v: unknown) => boolean): T => {
    if (!ok(h[k])) refuse('salesforce', `${path}.ChangeEventHeader.${k}`, 'missing or ill-typed');
    return h[k] as T;
  };
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return {
    entityName: need('entityName', (v) => typeof v === 'string'),
    recordIds: need('recordIds', (v) => strings(v) && (v as unknown[]).length > 0),
    changeType: need('changeType', (v) => typeof v === 'string'),
    changedFields: Array.isArray(h.changedFields) ? (h.changedFields as string[]) : [],
    transactionKey: need('transactionKey', (v) => typeof v === 'string'),
    sequenceNumber: need('sequenceNumber', (v) => Number.isInteger(v)),
    commitTimestamp: need('commitTimestamp', (v) => Number.isInteger(v)),
  };
}

function mapChangeEvents(json: unknown, options: SalesforceOptions): IngestCommand[] {
  const items = Array.isArray(json) ? json : [json];
  const m = new Mapper(options);
  const events = items.map((item, i) => {
    const path = Array.isArray(json) ? `[${i}]` : '';
    if (typeof item !== 'object' || item === null)
      refuse('salesforce', path, 'expected a change event object');
    const o = item as Record<string, unknown>;
    const data = o.data as Record<string, unknown> | undefined;
    const payload = (data && typeof data === 'object' ? data.payload : o) as Fields | undefined;
    const ppath = data ? `${path ? `${path}.` : ''}data.payload` : path;
    if (typeof payload !== 'object' || payload === null) refuse('salesforce', ppath, 'missing');
    return { payload, path: ppath, h: header(payload, ppath || '(event)') };
  });
  events.sort((a, b) => a.h.commitTimestamp - b.h.commitTimestamp || a.h.sequenceNumber - b.h.sequenceNumber);
  for (const { payload: p, path, h } of events) {
    const at = msToIso(h.commitTimestamp);
    const where = path || '(event)';
    if (h.entityName !== 'Opportunity' && h.entityName !== 'Lead') {
      refuse(
        'salesforce',
        `${where}.ChangeEventHeader.entityName`,
        `"${h.entityName}" is not mapped (Opportunity, Lead are)`,
      );
    }
    if (h.changeType === 'CREATE') {
      for (const rid of h.recordIds) {
        const f = { ...p, Id: rid };
        if (h.entityName === 'Opportunity') m.opportunitySnapshot(f, where, at);
        else m.lead(f, where, at);
      }
    } else if (h.changeType === 'UPDATE') {
      for (const rid of h.recordIds) {
        if (h.entityName === 'Lead') m.conversion(p, where, rid, at);
        else opportunityUpdate(m, p, h, rid, where, at);
      }
    } else {
      refuse(
        'salesforce',
        `${where}.ChangeEventHeader.changeType`,
        `"${h.changeType}" is not mapped (CREATE, UPDATE are; after a GAP event, read the record and ingest it)`,
      );
    }
  }
  return validateCommands('salesforce', m.out);
}

function opportunityUpdate(m: Mapper, p: Fields, h: Header, rid: string, path: string, at: string): void {
  const id = m.prefix + rid;
  const k = m.known(id);
  if (k && Date.parse(at) < Date.parse(k.lastEventAt)) return;
  const eventId = (what: string): string =>
    ingestEventId('salesforce', 'cdc', h.transactionKey, h.sequenceNumber, rid, what);
  const changed = new Set(h.changedFields);
  let value: Money | undefined = k?.value;
  let floor = k?.lastEventAt;
  if (changed.has('Amount') || p.Amount !== undefined) {
    const v = moneyFrom('salesforce', `${path}.Amount`, str(p.Amount) ?? '0', m.currency(p, id));
    if (!value || v.amount !== value.amount || v.currency !== value.currency) {
      m.out.push({
        type: 'ChangeOpportunityValue',
        data: { opportunityId: id as never, value: v },
        metadata: { eventId: eventId('value'), occurredAt: at },
        origin: path,
      });
      floor = at;
    }
    value = v;
  }
  const stage = m.stageOf(p);
  let status = k?.status ?? 'open';
  if (stage !== undefined && stage !== status) {
    if (status !== 'open') {
      m.out.push({
        type: 'ReopenOpportunity',
        data: {
          opportunityId: id as never,
          reason: `stage changed to ${str(p.StageName) ?? 'open'} in Salesforce`,
        },
        metadata: { eventId: eventId('reopened'), occurredAt: at },
        origin: path,
      });
    }
    // A close is never dated before the opportunity's latest event (a reopen or value change here).
    const closeAt = notBefore(toTimestamp(p.CloseDate) ?? at, status !== 'open' ? at : floor);
    if (stage === 'won') {
      if (!value)
        refuse('salesforce', `${path}.Amount`, `opportunity ${rid} was won, but its amount is unknown`);
      m.out.push({
        type: 'WinOpportunity',
        data: { opportunityId: id as never, value },
        metadata: { eventId: eventId('won'), occurredAt: closeAt },
        origin: path,
      });
    } else if (stage === 'lost') {
      const reason = str(p[m.o.lostReasonField ?? 'Loss_Reason__c']) ?? str(p.StageName) ?? 'lost';
      m.out.push({
        type: 'LoseOpportunity',
        data: { opportunityId: id as never, reason },
        metadata: { eventId: eventId('lost'), occurredAt: closeAt },
        origin: path,
      });
    }
    status = stage;
  }
  if (value) m.state.set(id, { status, value, lastEventAt: at });
}

/**
 * The SOAP response an Outbound Message listener returns: `Ack` true tells Salesforce the
 * notifications were taken (false, or no answer, and Salesforce retries them for up to 24 hours).
 */
export function salesforceOutboundAck(ack = true): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
    '<soapenv:Body>',
    '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">',
    `<Ack>${ack}</Ack>`,
    '</notificationsResponse>',
    '</soapenv:Body>',
    '</soapenv:Envelope>',
  ].join('');
}
