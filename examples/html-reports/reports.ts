import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ledgerOk } from './cli.ts';

/** The shipped demo log (`pnpm ledger demo`, exported once) and the moment its reports are taken. */
export const SAMPLE_LOG = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'demo-log.ndjson');
export const SAMPLE_AS_OF = '2026-11-20T18:00:00.000Z';

/**
 * The reports this example renders, as `report` arguments. Statements get a chart only when
 * every row is in one currency (amounts of different currencies are never added), so the
 * statement is one partner's.
 */
export const HTML_REPORTS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: 'partners', args: ['partners'] },
  { name: 'funnel', args: ['funnel'] },
  { name: 'sla', args: ['sla'] },
  { name: 'statements', args: ['statements', '--partner', 'P-OT'] },
];

/** Import the demo log into a fresh SQLite store at `path` (`pnpm ledger import`). */
export async function demoStore(path: string): Promise<string> {
  await ledgerOk(['import', SAMPLE_LOG, '--store', path]);
  return path;
}

/** `pnpm ledger report <args> --store <path> --format html` for each of `HTML_REPORTS`. */
export async function renderReports(store: string): Promise<{ name: string; html: string }[]> {
  const out: { name: string; html: string }[] = [];
  for (const r of HTML_REPORTS)
    out.push({
      name: r.name,
      html: await ledgerOk([
        'report',
        ...r.args,
        '--store',
        store,
        '--as-of',
        SAMPLE_AS_OF,
        '--format',
        'html',
      ]),
    });
  return out;
}

/** Serve each page at `/<name>.html` on an ephemeral port (so the browser loads it as a real page). */
export async function servePages(
  pages: readonly { name: string; html: string }[],
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const byPath = new Map(pages.map((p) => [`/${p.name}.html`, p.html]));
  const server = createServer((req, res) => {
    const html = byPath.get(req.url ?? '');
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
