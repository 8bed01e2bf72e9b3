import type { Money } from '@referral-ledger/core';
import { decimalString } from '../payouts/types.ts';

/**
 * Notification drafts: pure functions from view data to an email — `{to, subject, text, html}` —
 * that the host reviews, stores or hands to a `Transport`. Nothing here reads a clock or sends.
 */
export interface EmailDraft {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** `USD 1,234.50`: the currency code and the amount with its minor digits, grouped by thousands. */
export function formatAmount(m: Money): string {
  const s = decimalString(Math.abs(m.amount), m.currency);
  const [int, frac] = s.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m.amount < 0 ? '-' : ''}${m.currency} ${grouped}${frac ? `.${frac}` : ''}`;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `2026-01-05 09:00 UTC`: a readable UTC time from an ISO timestamp. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.4">${body}</body></html>`
  );
}

function table(rows: readonly (readonly string[])[], head?: readonly string[]): string {
  const h = head ? `<tr>${head.map((c) => `<th align="left">${escapeHtml(c)}</th>`).join('')}</tr>` : '';
  const b = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table cellpadding="4" style="border-collapse:collapse">${h}${b}</table>`;
}

function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What the partner status update says about one referral (from the referral brief). */
export interface StatusUpdateInput {
  readonly partner: { readonly name: string; readonly contactEmail: string };
  readonly referral: {
    readonly referralId: string;
    readonly company: string;
    readonly status: string;
    readonly ownerName?: string;
    readonly lastActivityAt?: string;
    readonly nextSteps?: string;
  };
  /** Set once the deal closed: won with its value and the partner's commission, or lost. */
  readonly outcome?:
    | { readonly kind: 'won'; readonly amount: Money; readonly commission: Money }
    | { readonly kind: 'lost'; readonly reason: string };
  /** Link to the referral in the partner portal. */
  readonly portalUrl?: string;
}

/**
 * The partner status update email: status, owner, last activity and next steps; a won deal
 * with its amount and the partner's commission, a lost one with its reason; the portal link.
 */
export function partnerStatusUpdate(input: StatusUpdateInput): EmailDraft {
  const { partner, referral: r, outcome, portalUrl } = input;
  const facts: [string, string][] = [
    ['Referral', `${r.company} (${r.referralId})`],
    ['Status', r.status],
    ['Owner', r.ownerName ?? 'not assigned yet'],
    ['Last activity', r.lastActivityAt ? formatTime(r.lastActivityAt) : 'none yet'],
    ['Next steps', r.nextSteps ?? 'none'],
  ];
  if (outcome?.kind === 'won') {
    facts.push(
      ['Deal won', formatAmount(outcome.amount)],
      ['Your commission', formatAmount(outcome.commission)],
    );
  } else if (outcome?.kind === 'lost') {
    facts.push(['Deal lost', outcome.reason]);
  }
  const subject =
    outcome?.kind === 'won'
      ? `Your referral ${r.company} was won`
      : outcome?.kind === 'lost'
        ? `Update on your referral ${r.company}: closed lost`
        : `Update on your referral ${r.company}: ${r.status}`;
  const text = [
    `Hello ${partner.name},`,
    '',
    `Here is the latest on your referral ${r.company}.`,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    ...(portalUrl ? ['', `See it in the partner portal: ${portalUrl}`] : []),
    '',
    'Thank you for the referral.',
  ].join('\n');
  const html = page(
    subject,
    `<p>Hello ${escapeHtml(partner.name)},</p><p>Here is the latest on your referral ${escapeHtml(r.company)}.</p>` +
      table(facts) +
      (portalUrl ? `<p><a href="${escapeHtml(portalUrl)}">See it in the partner portal</a></p>` : '') +
      '<p>Thank you for the referral.</p>',
  );
  return { to: [partner.contactEmail], subject, text, html };
}

/** New account overlaps found for one partner, for its partner manager. */
export interface OverlapAlertInput {
  readonly manager: { readonly name: string; readonly email: string };
  readonly partner: { readonly partnerId: string; readonly name: string };
  readonly overlaps: readonly {
    readonly accountDomain: string;
    readonly ourRelationship: string;
    readonly partnerRelationship: string;
  }[];
}

/** The new-overlap alert to the partner manager: each account with both sides' relationship. */
export function newOverlapAlert(input: OverlapAlertInput): EmailDraft {
  const { manager, partner, overlaps } = input;
  const n = overlaps.length;
  const subject = `${n} new account overlap${n === 1 ? '' : 's'} with ${partner.name}`;
  const rows = overlaps.map((o) => [o.accountDomain, o.ourRelationship, o.partnerRelationship]);
  const head = ['Account', 'Us', partner.name];
  const text = [
    `Hello ${manager.name},`,
    '',
    `${partner.name} (${partner.partnerId}) shares ${n} new account${n === 1 ? '' : 's'} with us:`,
    '',
    textTable([head, ...rows]),
    '',
    'Accounts where they are a customer and we are a prospect are the warmest introductions.',
  ].join('\n');
  const html = page(
    subject,
    `<p>Hello ${escapeHtml(manager.name)},</p><p>${escapeHtml(partner.name)} (${escapeHtml(partner.partnerId)}) shares ${n} new account${n === 1 ? '' : 's'} with us:</p>` +
      table(rows, head),
  );
  return { to: [manager.email], subject, text, html };
}

/** One SLA breach to escalate (SPEC §6.8). */
export interface SlaEscalationInput {
  readonly to: readonly string[];
  readonly referral: {
    readonly referralId: string;
    readonly company: string;
    readonly partnerName: string;
    readonly submittedAt: string;
    readonly ownerName?: string;
  };
  readonly breach: 'first-contact' | 'feedback' | 'stale';
  /** The deadline that passed (stale: when the referral went stale). */
  readonly deadline: string;
  /** When the breach was evaluated. */
  readonly asOf: string;
}

const BREACH_TEXT: Readonly<Record<SlaEscalationInput['breach'], string>> = {
  'first-contact': 'has not been contacted within the first-contact SLA',
  feedback: 'has had no partner feedback within the feedback SLA',
  stale: 'has had no activity and is stale',
};

/** The SLA breach escalation: which referral, which clock, the deadline and how late it is. */
export function slaBreachEscalation(input: SlaEscalationInput): EmailDraft {
  const { referral: r, breach } = input;
  const lateMinutes = Math.max(0, Math.floor((Date.parse(input.asOf) - Date.parse(input.deadline)) / 60_000));
  const late = lateMinutes >= 120 ? `${Math.floor(lateMinutes / 60)} h` : `${lateMinutes} min`;
  const subject = `SLA breach: referral ${r.company} from ${r.partnerName} (${breach})`;
  const facts: [string, string][] = [
    ['Referral', `${r.company} (${r.referralId})`],
    ['Partner', r.partnerName],
    ['Submitted', formatTime(r.submittedAt)],
    ['Owner', r.ownerName ?? 'not assigned'],
    ['Deadline', formatTime(input.deadline)],
    ['Overdue by', late],
  ];
  const text = [
    `The referral ${r.company} ${BREACH_TEXT[breach]}.`,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    `Evaluated at ${formatTime(input.asOf)}.`,
  ].join('\n');
  const html = page(
    subject,
    `<p>The referral ${escapeHtml(r.company)} ${escapeHtml(BREACH_TEXT[breach])}.</p>${table(facts)}` +
      `<p>Evaluated at ${escapeHtml(formatTime(input.asOf))}.</p>`,
  );
  return { to: input.to, subject, text, html };
}

/** A partner's pipeline for the weekly digest. */
export interface PipelineDigestInput {
  readonly partner: { readonly name: string; readonly contactEmail: string };
  /** First day of the week (YYYY-MM-DD). */
  readonly weekOf: string;
  readonly referrals: readonly {
    readonly company: string;
    readonly status: string;
    readonly nextStep?: string;
    readonly value?: Money;
  }[];
  readonly submittedThisWeek: number;
  readonly wonThisWeek: number;
  readonly portalUrl?: string;
}

/** The weekly partner pipeline digest: this week's counts and every open referral's status. */
export function weeklyPipelineDigest(input: PipelineDigestInput): EmailDraft {
  const { partner } = input;
  const subject = `Your referral pipeline, week of ${input.weekOf}`;
  const head = ['Referral', 'Status', 'Value', 'Next step'];
  const rows = input.referrals.map((r) => [
    r.company,
    r.status,
    r.value ? formatAmount(r.value) : '',
    r.nextStep ?? '',
  ]);
  const totals = new Map<string, number>();
  for (const r of input.referrals)
    if (r.value) totals.set(r.value.currency, (totals.get(r.value.currency) ?? 0) + r.value.amount);
  const pipeline =
    [...totals].map(([c, a]) => formatAmount({ amount: a, currency: c } as Money)).join(' + ') || 'none';
  const summary = `Submitted this week: ${input.submittedThisWeek}. Won this week: ${input.wonThisWeek}. Pipeline: ${pipeline}.`;
  const text = [
    `Hello ${partner.name},`,
    '',
    summary,
    '',
    rows.length > 0 ? textTable([head, ...rows]) : 'No referrals in progress.',
    ...(input.portalUrl ? ['', `Partner portal: ${input.portalUrl}`] : []),
  ].join('\n');
  const html = page(
    subject,
    `<p>Hello ${escapeHtml(partner.name)},</p><p>${escapeHtml(summary)}</p>` +
      (rows.length > 0 ? table(rows, head) : '<p>No referrals in progress.</p>') +
      (input.portalUrl ? `<p><a href="${escapeHtml(input.portalUrl)}">Partner portal</a></p>` : ''),
  );
  return { to: [partner.contactEmail], subject, text, html };
}

/** One month of a partner statement (the `statements` report's month). */
export interface StatementInput {
  readonly partner: { readonly name: string; readonly contactEmail: string };
  readonly month: string;
  readonly currency: string;
  readonly opening: number;
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjusted: number;
  readonly paid: number;
  readonly closing: number;
  readonly lines?: readonly {
    readonly opportunityId: string;
    readonly description: string;
    readonly amount: number;
  }[];
}

/** The monthly statement: opening, earned, clawed back, adjusted, paid, closing, and its lines. */
export function monthlyStatement(input: StatementInput): EmailDraft {
  const m = (amount: number): string => formatAmount({ amount, currency: input.currency } as Money);
  const rows: [string, string][] = [
    ['Opening balance', m(input.opening)],
    ['Earned', m(input.earned)],
    ['Clawed back', m(-Math.abs(input.clawedBack))],
    ['Adjusted', m(input.adjusted)],
    ['Paid', m(-Math.abs(input.paid))],
    ['Closing balance', m(input.closing)],
  ];
  const lineRows = (input.lines ?? []).map((l) => [l.opportunityId, l.description, m(l.amount)]);
  const subject = `Your commission statement for ${input.month}`;
  const text = [
    `Hello ${input.partner.name},`,
    '',
    `Your commission statement for ${input.month}:`,
    '',
    textTable(rows),
    ...(lineRows.length > 0 ? ['', textTable([['Deal', 'Line', 'Amount'], ...lineRows])] : []),
    ...(input.closing < 0
      ? ['', 'A negative balance is carried into your next payout; it is never debited.']
      : []),
  ].join('\n');
  const html = page(
    subject,
    `<p>Hello ${escapeHtml(input.partner.name)},</p><p>Your commission statement for ${escapeHtml(input.month)}:</p>` +
      table(rows) +
      (lineRows.length > 0 ? table(lineRows, ['Deal', 'Line', 'Amount']) : ''),
  );
  return { to: [input.partner.contactEmail], subject, text, html };
}
