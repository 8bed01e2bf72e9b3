import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CommandRefusedError,
  createLedger,
  type EventStore,
  minorDigits,
  readAllEvents,
  ValidationError,
} from '@referral-ledger/core';
import { LedgerModel } from '@referral-ledger/projections';
import {
  commissionsPage,
  leadsPage,
  loginPage,
  newReferralPage,
  notice,
  overviewPage,
  page,
  payoutPage,
  payoutsPage,
  referralPage,
  referralsPage,
  statementsPage,
} from './html.ts';
import { type PartnerScope, partnerScope } from './scope.ts';

/** One partner's sign-in token (the example's tokens file holds one per partner). */
export interface PortalToken {
  readonly token: string;
  readonly partnerId: string;
}

export interface PortalOptions {
  readonly store: EventStore;
  readonly tokens: readonly PortalToken[];
  /** The ledger secret the store was written with (default: the development secret, as the demo). */
  readonly secret?: string | undefined;
  /** Business time of the views and of the commands the portal issues (default: the system clock). */
  readonly clock?: () => Date;
}

const COOKIE = 'portal_session';
const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      try {
        if (type.includes('application/json'))
          resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
        else resolve(Object.fromEntries(new URLSearchParams(text)));
      } catch {
        reject(new HttpError(400, 'the body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`);
const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) =>
  send(res, status, 'text/html; charset=utf-8', body, headers);

const LEAD_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'company',
  'phone',
  'title',
  'website',
  'timeline',
  'useCase',
  'howMet',
  'notes',
] as const;

/**
 * The partner portal's request handler. The signed-in partner comes only from its token
 * (the `portal_session` cookie set by `/login`, or `Authorization: Bearer` on the API); every
 * view is computed for that partner alone, and an id in a URL that is not the partner's own
 * answers 404 exactly as an id that does not exist. Commands go through the facade, so the
 * deciders' checks (duplicates, one answer per shared lead) run as everywhere else.
 *
 * @example
 * const { url } = await startPortal({ store: getSQLiteEventStore({ path: 'demo.db' }), tokens });
 */
export function createPortal(options: PortalOptions) {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const ledger = createLedger({
    store,
    clock,
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
  });
  const byToken = new Map(options.tokens.map((t) => [t.token, t.partnerId]));
  let cached: { head: number; at: number; model: LedgerModel } | null = null;

  async function model(): Promise<LedgerModel> {
    const head = await store.headPosition();
    const now = clock().getTime();
    if (cached && cached.head === head && now - cached.at < 60_000) return cached.model;
    const m = new LedgerModel({ asOf: new Date(now).toISOString() });
    for await (const e of readAllEvents(store, { pageSize: 10_000 })) m.apply(e);
    cached = { head, at: now, model: m.finish() };
    return cached.model;
  }

  async function scopeOf(partnerId: string): Promise<PartnerScope> {
    const s = await partnerScope(await model(), partnerId);
    if (!s) throw new HttpError(403, 'this token names a partner the ledger does not know');
    return s;
  }

  async function submitReferral(s: PartnerScope, body: Record<string, unknown>) {
    const lead: Record<string, unknown> = {};
    for (const k of LEAD_FIELDS) {
      const v = body[k];
      if (typeof v === 'string' && v.trim() !== '') lead[k] = v.trim();
    }
    const est = body.estimatedValue;
    if (est !== undefined && est !== '' && est !== null) {
      const major = Number(est);
      if (!Number.isSafeInteger(major) || major < 0)
        throw new HttpError(400, 'estimatedValue: a whole, non-negative amount in your payout currency');
      const currency = s.commissions.currency;
      lead.estimatedValue = { amount: major * 10 ** minorDigits(currency), currency };
    }
    const referralId = `R-web-${randomUUID().slice(0, 8)}`;
    const { events } = await ledger.handle({
      type: 'SubmitReferral',
      data: { referralId, partnerId: s.partnerId, channel: 'portal', lead },
      metadata: { actor: { kind: 'partner', id: s.partnerId } },
    } as Parameters<typeof ledger.handle>[0]);
    return {
      referralId,
      duplicate: events.some((e) => e.type === 'ReferralDuplicateFlagged'),
      flags: events.flatMap((e) => (e.type === 'ReferralFlagged' ? [(e.data as { flag: string }).flag] : [])),
    };
  }

  async function respond(s: PartnerScope, shareId: string, body: Record<string, unknown>) {
    if (!s.leads.some((l) => l.shareId === shareId)) throw new HttpError(404, 'no such shared lead');
    const response = body.response;
    if (response !== 'accepted' && response !== 'declined')
      throw new HttpError(400, 'response: "accepted" or "declined"');
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : undefined;
    await ledger.handle({
      type: 'RespondToSharedLead',
      data: { shareId, response, ...(reason ? { reason } : {}) },
      metadata: { actor: { kind: 'partner', id: s.partnerId } },
    } as Parameters<typeof ledger.handle>[0]);
    return { shareId, response };
  }

  async function api(req: IncomingMessage, res: ServerResponse, partnerId: string, parts: string[]) {
    const method = req.method ?? 'GET';
    const s = await scopeOf(partnerId);
    const [what, id, action] = parts;
    if (method === 'GET' && parts.length === 1) {
      const views: Record<string, unknown> = {
        me: { partnerId: s.partnerId, name: s.name, asOf: s.asOf },
        referrals: { asOf: s.asOf, referrals: s.referrals },
        funnel: { asOf: s.asOf, stages: s.funnel },
        commissions: { asOf: s.asOf, ...s.commissions },
        statements: { asOf: s.asOf, ...s.statements },
        payouts: { asOf: s.asOf, payouts: s.payouts },
        leads: { asOf: s.asOf, leads: s.leads },
        overlaps: { asOf: s.asOf, overlaps: s.overlaps },
      };
      if (what && what in views) return json(res, 200, views[what]);
    }
    if (method === 'GET' && parts.length === 2 && id) {
      const found =
        what === 'referrals'
          ? s.referrals.find((r) => r.referralId === id)
          : what === 'payouts'
            ? s.payouts.find((p) => p.payoutId === id)
            : what === 'leads'
              ? s.leads.find((l) => l.shareId === id)
              : undefined;
      if (found) return json(res, 200, found);
      throw new HttpError(404, `no such ${what?.replace(/s$/, '') ?? 'thing'}`);
    }
    if (method === 'POST' && what === 'referrals' && parts.length === 1) {
      const r = await submitReferral(s, await readBody(req));
      cached = null;
      return json(res, 201, r);
    }
    if (method === 'POST' && what === 'leads' && id && action === 'respond' && parts.length === 3) {
      const r = await respond(s, id, await readBody(req));
      cached = null;
      return json(res, 200, r);
    }
    throw new HttpError(404, 'no such endpoint');
  }

  async function pages(req: IncomingMessage, res: ServerResponse, partnerId: string, parts: string[]) {
    const method = req.method ?? 'GET';
    const s = await scopeOf(partnerId);
    const [what, id, action] = parts;
    if (method === 'GET') {
      if (parts.length === 0) return html(res, 200, overviewPage(s));
      if (parts.length === 1) {
        if (what === 'referrals') return html(res, 200, referralsPage(s));
        if (what === 'commissions') return html(res, 200, commissionsPage(s));
        if (what === 'statements') return html(res, 200, statementsPage(s));
        if (what === 'payouts') return html(res, 200, payoutsPage(s));
        if (what === 'leads') return html(res, 200, leadsPage(s));
      }
      if (parts.length === 2 && what === 'referrals' && id === 'new')
        return html(res, 200, newReferralPage(s));
      if (parts.length === 2 && what === 'referrals') {
        const r = s.referrals.find((x) => x.referralId === id);
        if (r) return html(res, 200, referralPage(s, r));
      }
      if (parts.length === 2 && what === 'payouts') {
        const p = s.payouts.find((x) => x.payoutId === id);
        if (p) return html(res, 200, payoutPage(s, p));
      }
      throw new HttpError(404, 'Not found');
    }
    if (method === 'POST' && what === 'referrals' && id === 'new' && parts.length === 2) {
      const body = await readBody(req);
      try {
        const r = await submitReferral(s, body);
        cached = null;
        const extra = r.duplicate
          ? ' The ledger found an earlier registration of this lead; your partner manager will follow up.'
          : '';
        return html(
          res,
          201,
          referralsPage(
            await scopeOf(partnerId),
            notice('note', `Referral ${r.referralId} submitted.${extra}`),
          ),
        );
      } catch (e) {
        if (e instanceof ValidationError || e instanceof HttpError || e instanceof CommandRefusedError)
          return html(res, 400, newReferralPage(s, notice('error', messageOf(e))));
        throw e;
      }
    }
    if (method === 'POST' && what === 'leads' && id && action === 'respond' && parts.length === 3) {
      const r = await respond(s, id, await readBody(req));
      cached = null;
      return html(
        res,
        200,
        leadsPage(await scopeOf(partnerId), notice('note', `Lead ${r.shareId} ${r.response}.`)),
      );
    }
    throw new HttpError(404, 'Not found');
  }

  /** Handle one request (exported for tests that drive the handler without a socket). */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
    const isApi = parts[0] === 'api';
    try {
      if (!isApi && parts[0] === 'login') {
        if (req.method === 'POST') {
          const body = await readBody(req);
          const token = typeof body.token === 'string' ? body.token.trim() : '';
          if (!byToken.has(token)) return html(res, 401, loginPage('That token is not valid.'));
          return html(res, 303, '', {
            location: '/',
            'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          });
        }
        return html(res, 200, loginPage());
      }
      if (!isApi && parts[0] === 'logout')
        return html(res, 303, '', { location: '/login', 'set-cookie': `${COOKIE}=; Max-Age=0; Path=/` });
      const token = (isApi ? bearerToken(req) : null) ?? cookieToken(req);
      const partnerId = token ? byToken.get(token) : undefined;
      if (!partnerId) {
        if (isApi) return json(res, 401, { error: 'sign in: send Authorization: Bearer <your token>' });
        return html(res, 303, '', { location: '/login' });
      }
      if (isApi) await api(req, res, partnerId, parts.slice(1));
      else await pages(req, res, partnerId, parts);
    } catch (e) {
      const status =
        e instanceof HttpError
          ? e.status
          : e instanceof ValidationError
            ? 400
            : e instanceof CommandRefusedError
              ? 409
              : 500;
      if (status === 500) console.error(e);
      const message = status === 500 ? 'internal error' : messageOf(e);
      if (isApi) {
        const issues = e instanceof ValidationError ? e.issues : undefined;
        const code = e instanceof CommandRefusedError ? e.code : undefined;
        json(res, status, { error: message, ...(code ? { code } : {}), ...(issues ? { issues } : {}) });
      } else
        html(
          res,
          status,
          page(status === 404 ? 'Not found' : 'Something went wrong', notice('error', message)),
        );
    }
  }

  return { handle, ledger };
}

function messageOf(e: unknown): string {
  if (e instanceof ValidationError)
    return e.issues.map((i) => `${i.path.replace(/^data\.lead\./, '')}: ${i.message}`).join('; ');
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/** A running portal: its base URL and how to stop it. */
export interface RunningPortal {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Start the portal on `port` (0: an ephemeral port) at 127.0.0.1. */
export async function startPortal(options: PortalOptions & { port?: number }): Promise<RunningPortal> {
  const portal = createPortal(options);
  const server = createServer((req, res) => {
    void portal.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
