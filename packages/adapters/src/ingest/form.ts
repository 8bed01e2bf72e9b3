import type { EventData } from '@referral-ledger/core';
import { type IngestCommand, type IngestSource, ingestEventId, moneyFrom, refuse } from './command.ts';

/**
 * The playbook's referral intake form, shared by the Typeform and Tally mappers. A form field is
 * recognised by its reference or label, compared without case, spaces or punctuation, against
 * the names below ("First name", `first_name`, `firstName` all match `firstName`); the caller
 * may add its own names.
 */
export type FormKey =
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'company'
  | 'phone'
  | 'title'
  | 'website'
  | 'estimatedValue'
  | 'timeline'
  | 'useCase'
  | 'howMet'
  | 'notes'
  | 'partnerId'
  | 'submittedBy';

const DEFAULT_NAMES: Readonly<Record<FormKey, readonly string[]>> = {
  firstName: ['firstname', 'contactfirstname', 'leadfirstname', 'theirfirstname'],
  lastName: ['lastname', 'contactlastname', 'leadlastname', 'theirlastname', 'surname'],
  email: ['email', 'contactemail', 'leademail', 'theiremail', 'emailaddress', 'workemail'],
  company: ['company', 'companyname', 'contactcompany', 'organisation', 'organization'],
  phone: ['phone', 'phonenumber', 'contactphone'],
  title: ['title', 'jobtitle', 'contacttitle', 'role'],
  website: ['website', 'companywebsite', 'url'],
  estimatedValue: ['estimateddealsize', 'estimatedvalue', 'dealsize', 'estimateddealvalue'],
  timeline: ['timeline', 'timeframe', 'expectedtimeline'],
  useCase: ['usecase', 'usecases'],
  howMet: ['howmet', 'howdidyoumeet', 'howdidyoumeetthem', 'howdoyouknowthem'],
  notes: ['notes', 'additionalnotes', 'comments', 'anythingelse'],
  partnerId: ['partnerid', 'partner'],
  submittedBy: ['submittedby', 'submitter', 'submitteremail', 'referreremail', 'youremail'],
};

const REQUIRED: readonly FormKey[] = ['firstName', 'lastName', 'email', 'company'];

/** Options shared by the form mappers. */
export interface FormOptions {
  /** The partner submitting, when the form has no hidden partner field (a portal login). */
  readonly partner?: string;
  /** Currency of the estimated deal size (default `USD`); amounts are in major units ("25000"). */
  readonly currency?: string;
  /** Extra field references or labels per key, e.g. `{ howMet: ['Where did you meet?'] }`. */
  readonly fieldNames?: Partial<Readonly<Record<FormKey, readonly string[]>>>;
  /** Prefix of referral ids (default `<vendor>-`: Typeform token abc → `typeform-abc`). */
  readonly idPrefix?: string;
}

/** Lower-case letters and digits only: how field names are compared. */
export const normaliseName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Which form key a field reference or label stands for, if any. */
export function formKeyOf(names: readonly (string | undefined)[], options: FormOptions): FormKey | undefined {
  for (const name of names) {
    if (!name) continue;
    const n = normaliseName(name);
    for (const key of Object.keys(DEFAULT_NAMES) as FormKey[]) {
      const extra = options.fieldNames?.[key] ?? [];
      if (
        n === normaliseName(key) ||
        (DEFAULT_NAMES[key] ?? []).includes(n) ||
        extra.some((e) => normaliseName(e) === n)
      ) {
        return key;
      }
    }
  }
  return undefined;
}

/** One answered field of a submission: its key, its value as text and where it sits. */
export interface FormAnswer {
  readonly key: FormKey;
  readonly value: string;
  readonly path: string;
}

/**
 * Build the `SubmitReferral` command of a form submission: required contact fields present
 * (else refused naming the field), partner from the hidden field or the login, the estimated
 * deal size parsed exactly into minor units.
 */
export function referralFromForm(
  source: IngestSource,
  input: {
    readonly answers: readonly FormAnswer[];
    readonly answersPath: string;
    readonly submissionId: string;
    readonly formId: string;
    readonly submittedAt: string;
  },
  options: FormOptions,
): IngestCommand {
  const got = new Map<FormKey, FormAnswer>();
  for (const a of input.answers) if (a.value.trim() !== '' && !got.has(a.key)) got.set(a.key, a);
  for (const key of REQUIRED) {
    if (!got.has(key))
      refuse(source, `${input.answersPath}.${key}`, `the required field ${key} is missing or empty`);
  }
  const partnerId = got.get('partnerId')?.value.trim() || options.partner;
  if (!partnerId) {
    refuse(
      source,
      `${input.answersPath}.partnerId`,
      'no partner: add a hidden partner_id field or pass the partner',
    );
  }
  const lead: Record<string, unknown> = {};
  for (const [key, a] of got) {
    if (key === 'partnerId' || key === 'submittedBy') continue;
    if (key === 'estimatedValue') {
      const currency = options.currency ?? 'USD';
      const text = a.value.replace(/^\s*([A-Z]{3}|[$€£¥])\s*/, '').replace(/\s/g, '');
      lead.estimatedValue = moneyFrom(source, a.path, text, currency);
    } else lead[key] = a.value.trim();
  }
  const submittedBy = got.get('submittedBy')?.value.trim();
  const data: EventData<'ReferralSubmitted'> = {
    referralId: ((options.idPrefix ?? `${source}-`) + input.submissionId) as never,
    partnerId: partnerId as never,
    channel: 'form',
    ...(submittedBy ? { submittedBy } : {}),
    lead: lead as never,
  };
  return {
    type: 'SubmitReferral',
    data,
    metadata: {
      eventId: ingestEventId(source, 'form', input.formId, input.submissionId),
      occurredAt: input.submittedAt,
      actor: { kind: 'partner', id: partnerId },
    },
  };
}
