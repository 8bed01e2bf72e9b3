import type { EventData, Money } from '@referral-ledger/core';
import { zodIssues } from '@referral-ledger/core';
import { z } from 'zod';
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
  refuseIssues,
  snapshotCommands,
  toTimestamp,
  validateCommands,
} from './command.ts';

/**
 * HubSpot → commands. Accepts what HubSpot sends or returns:
 * - a webhook POST body (Webhooks API v3): an array of subscription events, each with
 *   `subscriptionType` (or the older `eventType`), `objectId`, `occurredAt` (epoch ms) and, for
 *   property changes, `propertyName` and `propertyValue` (always a string);
 * - CRM object reads (`GET /crm/v3/objects/deals/{id}`): `{id, properties, createdAt, updatedAt}`,
 *   one object or a batch `{results: [...]}`;
 * - a capture bundle `{events?, deals?, contacts?, companies?}` joining both, since a webhook
 *   carries only ids and a `deal.creation` needs the deal's read to open an opportunity.
 */

const Str = z.union([z.string(), z.number()]).transform(String);

const WebhookEvent = z
  .looseObject({
    eventId: Str,
    subscriptionId: z.number().optional(),
    portalId: Str,
    appId: z.number().optional(),
    occurredAt: z.number().int().nonnegative(),
    subscriptionType: z.string().optional(),
    eventType: z.string().optional(),
    attemptNumber: z.number().optional(),
    objectId: Str,
    propertyName: z.string().optional(),
    propertyValue: z.string().nullable().optional(),
    changeSource: z.string().optional(),
  })
  .refine((e) => e.subscriptionType !== undefined || e.eventType !== undefined, {
    message: 'needs subscriptionType (or the older eventType)',
    path: ['subscriptionType'],
  });
type WebhookEvent = z.infer<typeof WebhookEvent>;

/** HubSpot's object type ids of the generic `object.*` subscriptions (0-1 contact, 0-3 deal). */
const OBJECT_TYPES: Readonly<Record<string, string>> = { '0-1': 'contact', '0-3': 'deal' };

/**
 * The event's subscription type, the older `eventType` accepted too; a generic
 * `object.creation` / `object.propertyChange` of a deal or contact reads as `deal.*` / `contact.*`.
 */
function typeOf(e: WebhookEvent): string {
  const t = (e.subscriptionType ?? e.eventType)!;
  const objectTypeId = (e as { objectTypeId?: unknown }).objectTypeId;
  if (t.startsWith('object.') && typeof objectTypeId === 'string' && OBJECT_TYPES[objectTypeId]) {
    return `${OBJECT_TYPES[objectTypeId]}${t.slice('object'.length)}`;
  }
  return t;
}

const Association = z.looseObject({ results: z.array(z.looseObject({ id: Str })) });
const CrmObject = z.looseObject({
  id: Str,
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  associations: z.record(z.string(), Association).optional(),
});
type CrmObject = z.infer<typeof CrmObject>;

const Bundle = z.strictObject({
  events: z.array(WebhookEvent).optional(),
  deals: z.array(CrmObject).optional(),
  contacts: z.array(CrmObject).optional(),
  companies: z.array(CrmObject).optional(),
});

/** Options of the HubSpot mapper; every one has a default. */
export interface HubSpotOptions {
  /** Currency of deal amounts without `deal_currency_code` (default `USD`). */
  readonly currency?: string;
  /** Prefix of ledger ids made from HubSpot ids (default `hubspot-`: deal 123 → `hubspot-123`). */
  readonly idPrefix?: string;
  /** Contact property holding the referring partner's ledger id (default `referral_partner_id`). */
  readonly partnerProperty?: string;
  /** The partner to credit when the contact has no partner property (a partner's own login). */
  readonly partner?: string;
  /** Deal stages meaning won / lost (defaults: the default pipeline's `closedwon` / `closedlost`). */
  readonly wonStages?: readonly string[];
  readonly lostStages?: readonly string[];
  /** Owner when a deal has no `hubspot_owner_id` (default `unassigned`). */
  readonly defaultOwner?: string;
  readonly context?: IngestContext;
}

type Tagged = IngestCommand & { origin?: string };

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const r = schema.safeParse(value);
  if (!r.success) refuseIssues('hubspot', zodIssues(r.error, prefix));
  return r.data;
}

function classify(o: CrmObject): 'deal' | 'contact' | 'company' | undefined {
  const p = o.properties;
  if ('dealname' in p || 'dealstage' in p || 'amount' in p) return 'deal';
  if ('email' in p || 'firstname' in p || 'lastname' in p) return 'contact';
  if ('domain' in p) return 'company';
  return undefined;
}

/**
 * Map a HubSpot payload (parsed JSON) to commands; refuses the whole payload, naming the field,
 * at the first thing it cannot map.
 * @example mapHubSpot(JSON.parse(body), { currency: 'EUR' })
 */
export function mapHubSpot(payload: unknown, options: HubSpotOptions = {}): IngestCommand[] {
  const prefix = options.idPrefix ?? 'hubspot-';
  const currencyDefault = options.currency ?? 'USD';
  const won = new Set(options.wonStages ?? ['closedwon']);
  const lost = new Set(options.lostStages ?? ['closedlost']);
  const partnerProperty = options.partnerProperty ?? 'referral_partner_id';

  let events: WebhookEvent[] = [];
  const deals: { obj: CrmObject; path: string }[] = [];
  const contacts: { obj: CrmObject; path: string }[] = [];
  const companies = new Map<string, CrmObject>();
  const addRead = (obj: CrmObject, path: string, kind = classify(obj)): void => {
    if (kind === 'deal') deals.push({ obj, path });
    else if (kind === 'contact') contacts.push({ obj, path });
    else if (kind === 'company') companies.set(obj.id, obj);
    else
      refuse(
        'hubspot',
        `${path}.properties`,
        'cannot tell a deal, contact or company apart (no dealname, email or domain)',
      );
  };

  if (Array.isArray(payload)) {
    events = parse(z.array(WebhookEvent), payload, '');
  } else if (typeof payload === 'object' && payload !== null && 'results' in payload) {
    const r = parse(z.looseObject({ results: z.array(CrmObject) }), payload, '');
    r.results.forEach((o, i) => {
      addRead(o, `results[${i}]`);
    });
  } else if (typeof payload === 'object' && payload !== null && 'properties' in payload) {
    addRead(parse(CrmObject, payload, ''), '(object)');
  } else if (typeof payload === 'object' && payload !== null) {
    const b = parse(Bundle, payload, '');
    events = b.events ?? [];
    (b.companies ?? []).forEach((o, i) => {
      addRead(o, `companies[${i}]`, 'company');
    });
    (b.deals ?? []).forEach((o, i) => {
      addRead(o, `deals[${i}]`, 'deal');
    });
    (b.contacts ?? []).forEach((o, i) => {
      addRead(o, `contacts[${i}]`, 'contact');
    });
  } else {
    refuse('hubspot', '', 'expected a webhook event array, a CRM object read or a bundle');
  }

  const out: Tagged[] = [];
  const state = new Map<string, KnownOpportunity>();
  const known = (id: string): KnownOpportunity | undefined =>
    state.get(id) ?? options.context?.opportunity?.(id);
  const dealCurrency = new Map<string, string>();

  for (const { obj, path } of deals) {
    const p = obj.properties;
    const oppId = prefix + obj.id;
    const currency = p.deal_currency_code || currencyDefault;
    dealCurrency.set(obj.id, currency);
    const companyIds = obj.associations?.companies?.results.map((r) => r.id) ?? [];
    const company = companyIds.map((id) => companies.get(id)).find((c) => c !== undefined);
    const accountDomain =
      domainOf(company?.properties.domain ?? undefined) ?? domainOf(p.domain ?? undefined);
    if (!accountDomain) {
      refuse(
        'hubspot',
        `${path}.associations.companies`,
        'no account domain: include the associated company (with properties.domain) in "companies"',
      );
    }
    const createdAt = toTimestamp(p.createdate) ?? toTimestamp(obj.createdAt);
    if (!createdAt) refuse('hubspot', `${path}.properties.createdate`, 'missing or not a timestamp');
    const modifiedAt = toTimestamp(p.hs_lastmodifieddate) ?? toTimestamp(obj.updatedAt) ?? createdAt;
    const stage = p.dealstage ?? '';
    const contactEmails = (obj.associations?.contacts?.results ?? [])
      .map((r) => contacts.find((c) => c.obj.id === r.id)?.obj.properties.email)
      .filter((e): e is string => typeof e === 'string' && e !== '')
      .map((e) => e.trim().toLowerCase());
    const attributes: Record<string, string> = { crm: 'hubspot' };
    if (p.pipeline) attributes.pipeline = p.pipeline;
    if (p.dealtype) attributes.dealtype = p.dealtype;
    const opened: EventData<'OpportunityOpened'> = {
      opportunityId: oppId as never,
      accountDomain,
      accountName: company?.properties.name || p.dealname || accountDomain,
      value: moneyFrom('hubspot', `${path}.properties.amount`, p.amount || '0', currency),
      ownerId: p.hubspot_owner_id || options.defaultOwner || 'unassigned',
      ...(contactEmails.length > 0 ? { contactEmails } : {}),
      attributes,
    };
    const cmds = snapshotCommands(
      'hubspot',
      {
        opened,
        createdAt,
        modifiedAt,
        stage: won.has(stage) ? 'won' : lost.has(stage) ? 'lost' : 'open',
        ...(toTimestamp(p.closedate) ? { closedAt: toTimestamp(p.closedate)! } : {}),
        ...(p.closed_lost_reason ? { lostReason: p.closed_lost_reason } : {}),
      },
      known(oppId),
    );
    for (const c of cmds) out.push({ ...c, origin: path });
    if (cmds.length > 0 || !known(oppId)) {
      state.set(oppId, {
        status: won.has(stage) ? 'won' : lost.has(stage) ? 'lost' : 'open',
        value: opened.value,
        lastEventAt: modifiedAt,
      });
    }
  }

  contacts.forEach(({ obj, path }) => {
    const p = obj.properties;
    const partnerId = p[partnerProperty] || options.partner;
    if (!partnerId) {
      refuse(
        'hubspot',
        `${path}.properties.${partnerProperty}`,
        'no referring partner: set the contact property or pass the partner',
      );
    }
    const occurredAt = toTimestamp(p.createdate) ?? toTimestamp(obj.createdAt);
    if (!occurredAt) refuse('hubspot', `${path}.properties.createdate`, 'missing or not a timestamp');
    const lead: Record<string, string> = {};
    const put = (k: string, v: string | null | undefined): void => {
      if (v !== null && v !== undefined && v !== '') lead[k] = v;
    };
    put('firstName', p.firstname);
    put('lastName', p.lastname);
    put('email', p.email);
    put('company', p.company);
    put('phone', p.phone);
    put('title', p.jobtitle);
    put('website', p.website);
    out.push({
      type: 'SubmitReferral',
      data: {
        referralId: (prefix + obj.id) as never,
        partnerId: partnerId as never,
        channel: 'crm',
        lead: lead as never,
      },
      metadata: { eventId: ingestEventId('hubspot', 'contact', obj.id, 'submitted'), occurredAt },
      origin: path,
    });
  });

  // Property changes named in the same payload give a win or loss its close date.
  const closeDates = new Map<string, string>();
  for (const e of events) {
    if (typeOf(e) === 'deal.propertyChange' && e.propertyName === 'closedate') {
      const t = toTimestamp(e.propertyValue);
      if (t) closeDates.set(e.objectId, t);
    }
  }
  const order = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.occurredAt - b.e.occurredAt || a.i - b.i);
  for (const { e, i } of order) {
    const type = typeOf(e);
    const path = `[${i}]`;
    const at = msToIso(e.occurredAt);
    const oppId = prefix + e.objectId;
    const eventId = (): string =>
      ingestEventId('hubspot', 'webhook', e.portalId, e.eventId, type, e.objectId, e.propertyName ?? '');
    const k = known(oppId);
    if (k && Date.parse(at) < Date.parse(k.lastEventAt) && type === 'deal.propertyChange') continue;
    if (type === 'deal.creation') {
      if (!deals.some((d) => d.obj.id === e.objectId) && !k) {
        refuse(
          'hubspot',
          `${path}.objectId`,
          `deal ${e.objectId} was created, but its CRM read is not in "deals"`,
        );
      }
    } else if (type === 'contact.creation') {
      if (!contacts.some((c) => c.obj.id === e.objectId)) {
        refuse(
          'hubspot',
          `${path}.objectId`,
          `contact ${e.objectId} was created, but its CRM read is not in "contacts"`,
        );
      }
    } else if (type === 'deal.propertyChange') {
      const name = e.propertyName;
      const value = e.propertyValue ?? '';
      if (name === 'amount') {
        const currency = dealCurrency.get(e.objectId) ?? k?.value.currency ?? currencyDefault;
        const v = moneyFrom('hubspot', `${path}.propertyValue`, value || '0', currency);
        if (k && k.value.amount === v.amount && k.value.currency === v.currency) continue;
        out.push({
          type: 'ChangeOpportunityValue',
          data: { opportunityId: oppId as never, value: v },
          metadata: { eventId: eventId(), occurredAt: at },
          origin: path,
        });
        state.set(oppId, { status: k?.status ?? 'open', value: v, lastEventAt: at });
      } else if (name === 'dealstage') {
        const closeAt = notBefore(closeDates.get(e.objectId) ?? at, k?.lastEventAt);
        if (won.has(value)) {
          if (k?.status === 'won') continue;
          const v: Money | undefined = k?.value;
          if (!v) {
            refuse(
              'hubspot',
              `${path}.propertyValue`,
              `deal ${e.objectId} was won, but its amount is unknown: include its read or amount change`,
            );
          }
          out.push({
            type: 'WinOpportunity',
            data: { opportunityId: oppId as never, value: v },
            metadata: { eventId: eventId(), occurredAt: closeAt },
            origin: path,
          });
          state.set(oppId, { status: 'won', value: v, lastEventAt: at });
        } else if (lost.has(value)) {
          if (k?.status === 'lost') continue;
          const reason =
            deals.find((d) => d.obj.id === e.objectId)?.obj.properties.closed_lost_reason || value;
          out.push({
            type: 'LoseOpportunity',
            data: { opportunityId: oppId as never, reason },
            metadata: { eventId: eventId(), occurredAt: closeAt },
            origin: path,
          });
          if (k) state.set(oppId, { ...k, status: 'lost', lastEventAt: at });
        } else if (k && k.status !== 'open') {
          out.push({
            type: 'ReopenOpportunity',
            data: { opportunityId: oppId as never, reason: `moved to stage ${value} in HubSpot` },
            metadata: { eventId: eventId(), occurredAt: at },
            origin: path,
          });
          state.set(oppId, { ...k, status: 'open', lastEventAt: at });
        }
      } else if (name !== 'closedate') {
        refuse(
          'hubspot',
          `${path}.propertyName`,
          name === undefined
            ? 'a deal.propertyChange needs propertyName (amount, dealstage or closedate)'
            : `deal property "${name}" is not mapped (amount, dealstage, closedate are)`,
        );
      }
    } else {
      refuse(
        'hubspot',
        `${path}.subscriptionType`,
        `"${type}" is not mapped (deal.creation, deal.propertyChange, contact.creation are)`,
      );
    }
  }
  return validateCommands('hubspot', out);
}
