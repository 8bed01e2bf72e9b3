import { zodIssues } from '@referral-ledger/core';
import { z } from 'zod';
import { type IngestCommand, refuse, refuseIssues, toTimestamp, validateCommands } from './command.ts';
import { type FormAnswer, type FormOptions, formKeyOf, referralFromForm } from './form.ts';

/**
 * Tally → `SubmitReferral`. The webhook body is `{eventId, eventType: "FORM_RESPONSE",
 * createdAt, data}`; `data` holds `responseId`, `submissionId`, `formId`, `createdAt` and
 * `fields`, each `{key, label, type, value}` — choice fields give option ids in `value` and
 * the option texts in `options`; hidden fields have type `HIDDEN_FIELDS` and their name as label.
 */

const Field = z.looseObject({
  key: z.string(),
  label: z.string().nullable().optional(),
  type: z.string(),
  value: z.unknown(),
  options: z.array(z.looseObject({ id: z.string(), text: z.string() })).optional(),
});
const Payload = z.looseObject({
  eventId: z.string().min(1),
  eventType: z.literal('FORM_RESPONSE', { message: 'must be "FORM_RESPONSE"' }),
  createdAt: z.string(),
  data: z.looseObject({
    responseId: z.string().min(1),
    submissionId: z.string().optional(),
    formId: z.string().min(1),
    createdAt: z.string(),
    fields: z.array(Field),
  }),
});

function fieldText(f: z.infer<typeof Field>): string | undefined {
  const v = f.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const text = new Map((f.options ?? []).map((o) => [o.id, o.text]));
    return v.map((x) => text.get(String(x)) ?? String(x)).join(', ');
  }
  return undefined;
}

/**
 * Map a Tally `FORM_RESPONSE` webhook body (parsed JSON) to its referral submission.
 * @example mapTally(JSON.parse(body))
 */
export function mapTally(payload: unknown, options: FormOptions = {}): IngestCommand[] {
  const r = Payload.safeParse(payload);
  if (!r.success) refuseIssues('tally', zodIssues(r.error));
  const d = r.data.data;
  const submittedAt = toTimestamp(d.createdAt);
  if (!submittedAt) refuse('tally', 'data.createdAt', 'not a timestamp');
  const answers: FormAnswer[] = [];
  d.fields.forEach((f, i) => {
    const key = formKeyOf([f.label ?? undefined, f.key], options);
    const value = fieldText(f);
    if (key && value !== undefined) answers.push({ key, value, path: `data.fields[${i}].value` });
  });
  const cmd = referralFromForm(
    'tally',
    { answers, answersPath: 'data.fields', submissionId: d.responseId, formId: d.formId, submittedAt },
    options,
  );
  return validateCommands('tally', [Object.assign({}, cmd, { origin: 'data' })]);
}
