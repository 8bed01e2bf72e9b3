import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type IngestSource, ingestPayload, verifyWebhookSignature } from '@referral-ledger/adapters';
import { REPORT_NAMES, reports } from '@referral-ledger/cli';
import {
  CommandRefusedError,
  createLedger,
  type EventStore,
  LedgerError,
  readAllEvents,
  ValidationError,
} from '@referral-ledger/core';
import { LedgerModel } from '@referral-ledger/projections';

/** The webhook sources this service takes (SPEC §9 `ingest`: CRM webhooks and referral forms). */
export const WEBHOOK_SOURCES = ['hubspot', 'typeform', 'tally'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

export interface ServiceOptions {
  readonly store: EventStore;
  /** The ledger secret (keyed hashes of lead keys and subject ids); default the development secret. */
  readonly secret?: string | undefined;
  /** Per source, the signing secret its webhooks are checked against; a source without one is not checked. */
  readonly webhookSecrets?: Partial<Record<WebhookSource, string>>;
  /** Bearer token for `POST /commands` and the reports; none: open (development only). */
  readonly adminToken?: string | undefined;
  readonly clock?: () => Date;
}

const MAX_BODY = 1024 * 1024;

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new LedgerError('http.body-too-large', 'request body over 1 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * The service's request handler:
 * - `POST /webhooks/<hubspot|typeform|tally>`: the raw body goes through the ingest mapper and
 *   the facade, all or nothing (`ingestPayload`); a replayed delivery appends nothing; a
 *   malformed one answers 400 naming the field; a bad signature 401.
 * - `POST /commands`: one command in the shared shape, through `ledger.handle`.
 * - `GET /reports/<name>?as-of=&known-at=&from=&to=&partner=`: the report's JSON (SPEC §9 shapes).
 * - `GET /health`: the store's head position.
 *
 * @example
 * const svc = await startService({ store: getPostgreSQLEventStore({ connectionString, schema: 'svc' }) });
 */
export function createService(options: ServiceOptions) {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const ledger = createLedger({
    store,
    clock,
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
  });

  function authorised(req: IncomingMessage): boolean {
    if (!options.adminToken) return true;
    return req.headers.authorization === `Bearer ${options.adminToken}`;
  }

  async function webhook(req: IncomingMessage, res: ServerResponse, source: WebhookSource) {
    const body = await readText(req);
    const secret = options.webhookSecrets?.[source];
    if (secret) {
      const check = verifyWebhookSignature(
        source,
        {
          headers: req.headers,
          body,
          method: req.method ?? 'POST',
          url: `https://${req.headers.host ?? 'localhost'}${req.url ?? ''}`,
        },
        secret,
      );
      if (!check.ok) return json(res, 401, { error: `webhook signature: ${check.reason}` });
    }
    const r = await ingestPayload(store, source as IngestSource, body, { secret: options.secret });
    return json(res, 200, {
      commands: r.commands.map((c) => c.type),
      appended: r.appended,
      events: r.events.map((e) => ({ type: e.type, streamId: e.streamId, position: e.position })),
    });
  }

  async function report(res: ServerResponse, name: string, q: URLSearchParams) {
    const load = reports[name];
    if (!load) return json(res, 404, { error: `no report "${name}": one of ${REPORT_NAMES.join(', ')}` });
    const asOf = q.get('as-of') ?? clock().toISOString();
    const knownAt = q.get('known-at') ?? undefined;
    for (const [k, v] of [
      ['as-of', asOf],
      ['known-at', knownAt],
      ['from', q.get('from')],
      ['to', q.get('to')],
    ] as const)
      if (v && Number.isNaN(Date.parse(v))) return json(res, 400, { error: `${k}: not an ISO-8601 time` });
    const model = new LedgerModel({ asOf, ...(knownAt ? { knownAt } : {}) });
    for await (const e of readAllEvents(store, { pageSize: 10_000 })) model.apply(e);
    const doc = (await load()).default.build({
      model: model.finish(),
      asOf: new Date(asOf).toISOString(),
      knownAt,
      from: q.get('from') ?? undefined,
      to: q.get('to') ?? undefined,
      partner: q.get('partner') ?? undefined,
    });
    return json(res, 200, doc.json);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const parts = url.pathname.split('/').filter(Boolean);
    try {
      if (req.method === 'GET' && url.pathname === '/health')
        return json(res, 200, { ok: true, head: await store.headPosition() });
      if (req.method === 'POST' && parts[0] === 'webhooks' && parts.length === 2) {
        const source = parts[1] as WebhookSource;
        if (!WEBHOOK_SOURCES.includes(source))
          return json(res, 404, { error: `no webhook "${parts[1]}": one of ${WEBHOOK_SOURCES.join(', ')}` });
        return await webhook(req, res, source);
      }
      if (!authorised(req)) return json(res, 401, { error: 'send Authorization: Bearer <admin token>' });
      if (req.method === 'POST' && url.pathname === '/commands') {
        const text = await readText(req);
        let command: unknown;
        try {
          command = JSON.parse(text);
        } catch {
          return json(res, 400, { error: 'the body is not valid JSON' });
        }
        const r = await ledger.handle(command as Parameters<typeof ledger.handle>[0]);
        return json(res, 200, { events: r.events.map((e) => e.type), positions: r.positions });
      }
      if (req.method === 'GET' && parts[0] === 'reports' && parts.length === 2)
        return await report(res, parts[1]!, url.searchParams);
      return json(res, 404, { error: 'no such endpoint' });
    } catch (e) {
      if (e instanceof ValidationError)
        return json(res, 400, { error: e.message.split('\n')[0], issues: e.issues });
      if (e instanceof CommandRefusedError) return json(res, 409, { error: e.message, code: e.code });
      if (e instanceof LedgerError) return json(res, 422, { error: e.message, code: e.code });
      console.error(e);
      return json(res, 500, { error: 'internal error' });
    }
  }

  return { handle, ledger };
}

/** Start the service at 127.0.0.1:`port` (0: ephemeral). */
export async function startService(
  options: ServiceOptions & { port?: number },
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const svc = createService(options);
  const server = createServer((req, res) => {
    void svc.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
