import { zodIssues } from '@referral-ledger/core';
import { z } from 'zod';
import { type IngestCommand, refuse, refuseIssues, toTimestamp, validateCommands } from './command.ts';
import { type FormAnswer, type FormOptions, formKeyOf, referralFromForm } from './form.ts';

/**
 * Typeform → `SubmitReferral`. The webhook body is `{event_id, event_type: "form_response",
 * form_response}`; `form_response` holds `form_id`, `token` (the response id), `submitted_at`,
 * `hidden` (hidden fields such as `partner_id`), `definition.fields` (id, ref, title, type) and
 * `answers`, each `{type, field: {id, ref, type}, <type>: value}`.
 */

const Answer = z.looseObject({
  type: z.string(),
  field: z.looseObject({ id: z.string(), ref: z.string().optional(), type: z.string().optional() }),
});
const Payload = z.looseObject({
  event_id: z.string().min(1),
  event_type: z.literal('form_response', { message: 'must be "form_response"' }),
  form_response: z.looseObject({
    form_id: z.string().min(1),
    token: z.string().min(1),
    submitted_at: z.string(),
    hidden: z.record(z.string(), z.string()).optional(),
    definition: z
      .looseObject({
        fields: z.array(
          z.looseObject({ id: z.string(), ref: z.string().optional(), title: z.string().optional() }),
        ),
      })
      .optional(),
    answers: z.array(Answer),
  }),
});

function answerText(a: z.infer<typeof Answer>): string | undefined {
  const v = (a as Record<string, unknown>)[a.type];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (a.type === 'choice' && v && typeof v === 'object') {
    const c = v as { label?: string; other?: string };
    return c.other ?? c.label;
  }
  if (a.type === 'choices' && v && typeof v === 'object') {
    const c = v as { labels?: string[]; other?: string };
    return [...(c.labels ?? []), ...(c.other ? [c.other] : [])].join(', ');
  }
  return undefined;
}

/**
 * Map a Typeform `form_response` webhook body (parsed JSON) to its referral submission.
 * @example mapTypeform(JSON.parse(body), { partner: 'P-1' })
 */
export function mapTypeform(payload: unknown, options: FormOptions = {}): IngestCommand[] {
  const r = Payload.safeParse(payload);
  if (!r.success) refuseIssues('typeform', zodIssues(r.error));
  const fr = r.data.form_response;
  const submittedAt = toTimestamp(fr.submitted_at);
  if (!submittedAt) refuse('typeform', 'form_response.submitted_at', 'not a timestamp');
  const titles = new Map((fr.definition?.fields ?? []).map((f) => [f.id, f.title]));
  const answers: FormAnswer[] = [];
  fr.answers.forEach((a, i) => {
    const key = formKeyOf([a.field.ref, titles.get(a.field.id)], options);
    const value = answerText(a);
    if (key && value !== undefined)
      answers.push({ key, value, path: `form_response.answers[${i}].${a.type}` });
  });
  for (const [name, value] of Object.entries(fr.hidden ?? {})) {
    const key = formKeyOf([name], options);
    if (key) answers.push({ key, value, path: `form_response.hidden.${name}` });
  }
  const cmd = referralFromForm(
    'typeform',
    {
      answers,
      answersPath: 'form_response.answers',
      submissionId: fr.token,
      formId: fr.form_id,
      submittedAt,
    },
    options,
  );
  return validateCommands('typeform', [Object.assign({}, cmd, { origin: 'form_response' })]);
}
