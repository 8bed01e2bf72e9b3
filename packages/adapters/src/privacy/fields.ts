import { normaliseEmail } from '@referral-ledger/core';

/** Lead fields that belong to the data subject (SPEC §10): names, contact details, free text. */
export const PERSONAL_LEAD_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'timeline',
  'useCase',
  'howMet',
  'notes',
] as const;

/** One personal value of an event: where it is, and whose it is (by email). */
export interface PersonalField {
  /** Dotted path from `data`, e.g. `lead.email`, `contactEmails.0`. */
  readonly path: string;
  /** The normalised email that identifies the subject the value belongs to ... */
  readonly subjectEmail: string | null;
  /** ... or the subject id itself, when the event holds no email (a lead shared without it). */
  readonly subjectId?: string;
  readonly value: string;
}

type Data = Record<string, unknown>;

function leadFields(prefix: string, lead: unknown, subjectId?: string): PersonalField[] {
  if (typeof lead !== 'object' || lead === null) return [];
  const l = lead as Data;
  const subjectEmail = typeof l.email === 'string' && l.email !== '' ? normaliseEmail(l.email) : null;
  // Without an email the subject must be named (the facade puts it in metadata.subjectId);
  // personal fields of an unnamed subject are refused by `withPrivacy`, never stored in clear.
  const who = subjectEmail !== null ? { subjectEmail } : { subjectEmail: null, subjectId: subjectId ?? '' };
  return PERSONAL_LEAD_FIELDS.flatMap((f) =>
    typeof l[f] === 'string' ? [{ path: `${prefix}${f}`, ...who, value: l[f] as string }] : [],
  );
}

/**
 * The personal fields of an event, each with the email of its subject (SPEC §10): a
 * referral's or shared lead's personal lead fields (subject: the lead's email), each of an
 * opportunity's `contactEmails` (each its own subject), and the name and contact email of a
 * `customer` or `employee` referrer (`program` is that of the partner; for `PartnerUpdated`
 * the caller passes the enrolled program and contact email).
 *
 * @example personalFields('OpportunityOpened', { contactEmails: ['Ana@Acme.example'] })
 * // [{ path: 'contactEmails.0', subjectEmail: 'ana@acme.example', value: 'Ana@Acme.example' }]
 */
export function personalFields(
  type: string,
  data: unknown,
  partner?: { program: string; contactEmail: string | null },
  subjectId?: string,
): PersonalField[] {
  const d = (data ?? {}) as Data;
  switch (type) {
    case 'ReferralSubmitted':
    case 'LeadShared':
      return leadFields('lead.', d.lead, subjectId);
    case 'OpportunityOpened':
      return Array.isArray(d.contactEmails)
        ? d.contactEmails.flatMap((e, i) =>
            typeof e === 'string' && e !== ''
              ? [{ path: `contactEmails.${i}`, subjectEmail: normaliseEmail(e), value: e }]
              : [],
          )
        : [];
    case 'PartnerEnrolled':
    case 'PartnerUpdated': {
      const program = type === 'PartnerEnrolled' ? d.program : partner?.program;
      if (program !== 'customer' && program !== 'employee') return [];
      const email =
        typeof d.contactEmail === 'string' && d.contactEmail !== ''
          ? d.contactEmail
          : (partner?.contactEmail ?? null);
      if (!email) return [];
      const subjectEmail = normaliseEmail(email);
      return (['name', 'contactEmail'] as const).flatMap((f) =>
        typeof d[f] === 'string' ? [{ path: f, subjectEmail, value: d[f] as string }] : [],
      );
    }
    default:
      return [];
  }
}

/** The value at a dotted path of `data`. */
export function getPath(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Data)[part];
  }
  return node;
}

/**
 * `data` with the value at each path replaced, leaving `data` untouched: the objects and
 * arrays along the paths are copied, everything else is shared (a store's own events may
 * be shared by several readers, and a deep copy of every event dominated the read path).
 */
export function setPaths(data: unknown, values: ReadonlyMap<string, unknown>): unknown {
  if (values.size === 0 || data === null || typeof data !== 'object') return data;
  const copies = new Set<unknown>();
  const copyOf = (node: object): Data => {
    const c = (Array.isArray(node) ? [...node] : { ...node }) as Data;
    copies.add(c);
    return c;
  };
  const root = copyOf(data);
  for (const [path, value] of values) {
    const parts = path.split('.');
    let node: Data = root;
    let ok = true;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const child = node[parts[i]!];
      if (child === null || typeof child !== 'object') {
        ok = false;
        break;
      }
      const own = copies.has(child) ? (child as Data) : copyOf(child);
      node[parts[i]!] = own;
      node = own;
    }
    if (ok) node[parts[parts.length - 1]!] = value;
  }
  return root;
}
