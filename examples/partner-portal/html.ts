import { renderSvgChart } from '@referral-ledger/cli';
import { money, type PartnerScope } from './scope.ts';

/** Escape text for HTML element content and attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f7f9fb}' +
  'header{background:#1f4e79;color:#fff;padding:.8rem 2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}' +
  'header a{color:#fff;text-decoration:none}header strong{margin-right:1rem}main{padding:1.2rem 2rem}' +
  'table{border-collapse:collapse;margin:.6rem 0;background:#fff}th,td{border-bottom:1px solid #d6dde5;padding:.3rem .6rem;text-align:left}' +
  'th{background:#eef2f7}.r{text-align:right;font-variant-numeric:tabular-nums}.note{padding:.6rem 1rem;background:#e8f4ea;border-left:4px solid #2e7d32}' +
  '.error{padding:.6rem 1rem;background:#fdecea;border-left:4px solid #c62828}form.inline{display:inline}' +
  'label{display:block;margin:.4rem 0}input,select,textarea{font:inherit;padding:.2rem .4rem;min-width:18rem}' +
  '.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #d6dde5;padding:.6rem 1rem}';

/** The portal's page frame: one self-contained page (inline CSS, no external resources). */
export function page(title: string, body: string, scope?: PartnerScope): string {
  const nav = scope
    ? `<header><strong>${esc(scope.name)}</strong><a href="/">Overview</a><a href="/referrals">Referrals</a><a href="/referrals/new">Submit a referral</a><a href="/commissions">Commissions</a><a href="/statements">Statements</a><a href="/payouts">Payouts</a><a href="/leads">Shared leads</a><a href="/logout">Sign out</a></header>`
    : '<header><strong>Partner portal</strong></header>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${nav}<main><h1>${esc(title)}</h1>${body}</main></body></html>\n`;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const th = headers.map((h, i) => `<th${right.includes(i) ? ' class="r"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => `<td${right.includes(i) ? ' class="r"' : ''}>${c}</td>`).join('')}</tr>`,
        )
        .join('')
    : `<tr><td colspan="${headers.length}">(none yet)</td></tr>`;
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const FUNNEL_ORDER = ['submitted', 'accepted', 'contacted', 'qualified', 'converted', 'won', 'lost'] as const;

/** The overview: headline figures, the funnel and monthly earnings as inline SVG charts. */
export function overviewPage(s: PartnerScope): string {
  const c = s.commissions;
  const cards = [
    ['Referrals', String(s.referrals.length)],
    ['Earned', money(c.earned, c.currency)],
    ['Paid', money(c.paid, c.currency)],
    ['Payable', money(c.payable, c.currency)],
  ]
    .map(([k, v]) => `<div class="card"><div>${esc(k)}</div><strong>${esc(v)}</strong></div>`)
    .join('');
  const funnel = renderSvgChart({
    title: 'Your referral funnel',
    bars: FUNNEL_ORDER.map((k) => ({ label: k, value: s.funnel[k] ?? 0 })),
  });
  const earnings = renderSvgChart({
    title: `Monthly earnings (${s.statements.currency})`,
    bars: s.statements.months.map((m) => ({
      label: m.month,
      value: m.earned,
      display: money(m.earned, s.statements.currency),
    })),
  });
  return page(
    `Welcome, ${s.name}`,
    `<p>Figures as of ${esc(s.asOf)}.</p><div class="cards">${cards}</div><figure id="funnel-chart">${funnel}</figure><figure id="earnings-chart">${earnings}</figure>`,
    s,
  );
}

/** The partner's referrals with status and next step. */
export function referralsPage(s: PartnerScope, notice = ''): string {
  const rows = s.referrals.map((r) => [
    `<a href="/referrals/${encodeURIComponent(r.referralId)}">${esc(r.referralId)}</a>`,
    esc(r.company),
    esc(r.submittedAt.slice(0, 10)),
    esc(r.status),
    esc(r.nextStep),
  ]);
  return page(
    'Your referrals',
    `${notice}${table(['Referral', 'Company', 'Submitted', 'Status', 'Next step'], rows)}`,
    s,
  );
}

/** One referral of the partner's. */
export function referralPage(s: PartnerScope, r: PartnerScope['referrals'][number]): string {
  const dl = [
    ['Company', r.company],
    ['Submitted', r.submittedAt],
    ['Status', r.status],
    ['Next step', r.nextStep],
    ['Earlier registration of this lead', r.duplicate ? 'yes: your partner manager will follow up' : 'no'],
  ]
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  return page(`Referral ${r.referralId}`, `<dl id="referral">${dl}</dl>`, s);
}

/** Commission totals and lines. */
export function commissionsPage(s: PartnerScope): string {
  const c = s.commissions;
  const totals = table(
    ['Earned', 'Approved', 'Paid', 'Payable', 'Outstanding'],
    [[c.earned, c.approved, c.paid, c.payable, c.outstanding].map((v) => esc(money(v, c.currency)))],
    [0, 1, 2, 3, 4],
  );
  const lines = c.lines.map((l) => [
    esc(l.opportunityId),
    esc(l.kind),
    esc(l.tier),
    esc(money(l.credited, l.currency)),
    esc(`${(l.rateBps / 100).toFixed(2)} %`),
    esc(money(l.commission, l.currency)),
    esc(l.clawedBack ? money(-l.clawedBack, l.currency) : ''),
    esc(money(l.payoutAmount, c.currency)),
    esc(l.eligible ? 'yes' : (l.reason ?? 'no')),
  ]);
  return page(
    'Your commissions',
    `${totals}<h2>Lines</h2>${table(['Opportunity', 'Kind', 'Tier', 'Credited', 'Rate', 'Commission', 'Clawed back', 'Payout amount', 'Eligible'], lines, [3, 4, 5, 6, 7])}`,
    s,
  );
}

/** Monthly statements. */
export function statementsPage(s: PartnerScope): string {
  const cur = s.statements.currency;
  const rows = s.statements.months.map((m) =>
    [m.month, m.opening, m.earned, -m.clawedBack, m.adjusted, -m.paid, m.closing].map((v, i) =>
      esc(i === 0 ? v : money(v as number, cur)),
    ),
  );
  return page(
    'Monthly statements',
    table(
      ['Month', 'Opening', 'Earned', 'Clawed back', 'Adjusted', 'Paid', 'Closing'],
      rows,
      [1, 2, 3, 4, 5, 6],
    ),
    s,
  );
}

/** Payouts. */
export function payoutsPage(s: PartnerScope): string {
  const rows = s.payouts.map((p) => [
    `<a href="/payouts/${encodeURIComponent(p.payoutId)}">${esc(p.payoutId)}</a>`,
    esc(money(p.amount, p.currency)),
    esc(p.provider),
    esc(p.status),
    esc(p.scheduledAt.slice(0, 10)),
    esc(p.sentAt?.slice(0, 10) ?? ''),
  ]);
  return page(
    'Your payouts',
    table(['Payout', 'Amount', 'Provider', 'Status', 'Scheduled', 'Sent'], rows, [1]),
    s,
  );
}

/** One payout with its lines. */
export function payoutPage(s: PartnerScope, p: PartnerScope['payouts'][number]): string {
  const rows = p.lines.map((l) => [esc(l.opportunityId), esc(money(l.amount, l.currency))]);
  return page(
    `Payout ${p.payoutId}`,
    `<p id="payout">${esc(money(p.amount, p.currency))} by ${esc(p.provider)}: ${esc(p.status)}</p>${table(['Opportunity', 'Amount'], rows, [1])}`,
    s,
  );
}

/** Leads shared with the partner; unanswered ones have accept / decline buttons. */
export function leadsPage(s: PartnerScope, notice = ''): string {
  const rows = s.leads.map((l) => {
    const company = typeof l.lead.company === 'string' ? l.lead.company : l.accountDomain;
    const act =
      l.response === null
        ? `<form class="inline" method="post" action="/leads/${encodeURIComponent(l.shareId)}/respond"><input type="hidden" name="response" value="accepted"><button type="submit" data-share="${esc(l.shareId)}" data-response="accepted">Accept</button></form> <form class="inline" method="post" action="/leads/${encodeURIComponent(l.shareId)}/respond"><input type="hidden" name="response" value="declined"><button type="submit" data-share="${esc(l.shareId)}" data-response="declined">Decline</button></form>`
        : esc(l.response);
    return [
      esc(l.shareId),
      esc(company),
      esc(l.accountDomain),
      esc(l.reason),
      esc(l.sharedAt.slice(0, 10)),
      act,
      esc(l.outcome ?? ''),
    ];
  });
  return page(
    'Leads shared with you',
    `${notice}${table(['Share', 'Company', 'Domain', 'Why you', 'Shared', 'Your answer', 'Outcome'], rows)}<h2>Accounts we both know</h2>${table(
      ['Account', 'Our relationship', 'Yours', 'Detected'],
      s.overlaps.map((o) => [
        esc(o.accountDomain),
        esc(o.ourRelationship),
        esc(o.partnerRelationship),
        esc(o.detectedAt.slice(0, 10)),
      ]),
    )}`,
    s,
  );
}

/** The referral form: the playbook's intake fields. */
export function newReferralPage(s: PartnerScope, notice = ''): string {
  const field = (name: string, label: string, required = false, type = 'text') =>
    `<label>${esc(label)}${required ? ' *' : ''}<br><input name="${name}" type="${type}"${required ? ' required' : ''}></label>`;
  const form = `<form method="post" action="/referrals/new" id="referral-form">${field('firstName', 'First name', true)}${field('lastName', 'Last name', true)}${field('email', 'Email', true, 'email')}${field('company', 'Company', true)}${field('phone', 'Phone')}${field('title', 'Title')}${field('website', 'Website')}<label>Estimated deal size (${esc(s.commissions.currency)})<br><input name="estimatedValue" type="number" min="0" step="1"></label>${field('timeline', 'Timeline')}${field('useCase', 'Use case')}${field('howMet', 'How you met')}<label>Notes<br><textarea name="notes"></textarea></label><button type="submit">Submit referral</button></form>`;
  return page('Submit a referral', `${notice}${form}`, s);
}

/** The sign-in page. */
export function loginPage(error = ''): string {
  return page(
    'Sign in',
    `${error ? `<p class="error">${esc(error)}</p>` : ''}<form method="post" action="/login"><label>Access token<br><input name="token" type="password" required autocomplete="off"></label><button type="submit">Sign in</button></form>`,
  );
}

/** A notice box. */
export function notice(kind: 'note' | 'error', text: string): string {
  return `<p class="${kind}" role="status">${esc(text)}</p>`;
}
