/**
 * The support listener: the operator's port, apart from traffic. `/healthz` (liveness: 503 with
 * the reason once the process stops for a fatal problem), `/readyz` (200 once the first table is
 * live; 503 with the reason before that, while draining, or while workers are not all listening),
 * `/routes` (the live table as eskip, JSON on `Accept: application/json`, `?invalid` for the
 * routes set aside) and `/metrics` when a metrics handler is given.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteTable } from '../routing/table.js';
import type { InvalidRoute } from '../routing/route.js';
import { printRoute, printRoutes } from '../eskip/printer.js';

export interface SupportState {
  /** null once ready; else why not, the body of /readyz's 503. */
  notReady(): string | null;
  draining(): boolean;
  /** null while the process is live; else why not (a fatal problem it is stopping for), for /healthz. */
  unhealthy?(): string | null;
  /** Tables by listener name; the first one is the default for /routes. */
  tables(): ReadonlyMap<string, RouteTable>;
  /** Everything set aside for a listener: by its sources and by the table build. */
  invalid(listener: string): readonly InvalidRoute[];
}

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createSupportServer(state: SupportState, metrics?: MetricsHandler): http.Server {
  return http.createServer((req, res) => {
    try {
      serve(state, metrics, req, res);
    } catch (err) {
      // A failure here must cost one answer, never the process: probes and scrapes come from
      // anywhere in the cluster network.
      if (res.headersSent) res.destroy();
      else text(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  });
}

/** The request target as the support handlers read it: split by hand, since `new URL` throws on `//%`. */
interface Target {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

function targetOf(raw: string): Target {
  const q = raw.indexOf('?');
  if (q === -1) return { pathname: raw, searchParams: new URLSearchParams() };
  return { pathname: raw.slice(0, q), searchParams: new URLSearchParams(raw.slice(q + 1)) };
}

function serve(state: SupportState, metrics: MetricsHandler | undefined, req: IncomingMessage, res: ServerResponse): void {
  const url = targetOf(req.url ?? '/');
  switch (url.pathname) {
    case '/healthz': {
      const sick = state.unhealthy?.() ?? null;
      return sick === null ? text(res, 200, 'ok\n') : text(res, 503, `${sick}\n`);
    }
    case '/readyz': {
      // A fatal problem is the truer reason than the drain it started.
      const why = state.unhealthy?.() ?? (state.draining() ? 'draining' : state.notReady());
      return why === null ? text(res, 200, 'ready\n') : text(res, 503, `${why}\n`);
    }
    case '/routes':
      return routes(state, req, res, url);
    case '/metrics':
    case '/metrics/':
      if (metrics !== undefined) return metrics(req, res);
      return text(res, 404, 'metrics are off\n');
    default:
      return text(res, 404, 'not found\n');
  }
}

function routes(state: SupportState, req: IncomingMessage, res: ServerResponse, url: Target): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return text(res, 405, 'method not allowed\n');
  }
  const tables = state.tables();
  const name = url.searchParams.get('listener') ?? tables.keys().next().value;
  const table = name === undefined ? undefined : tables.get(name);
  if (table === undefined || name === undefined) return text(res, 404, `no listener ${name ?? ''}\n`);
  const timestamp = String(Math.floor(table.createdAt.getTime() / 1000));
  const wanted = url.searchParams.get('timestamp');
  if (wanted !== null && wanted !== timestamp) return text(res, 400, 'timestamp mismatch\n');
  const offset = count(url.searchParams.get('offset'), 0);
  const limit = count(url.searchParams.get('limit'), 1024);
  // slice() would read a negative offset or limit from the end: a page the caller did not ask for
  if (offset === null || limit === null) return text(res, 400, 'offset and limit must be whole numbers, 0 or more\n');
  const invalid = url.searchParams.has('invalid') && url.searchParams.get('invalid') !== 'false';
  const json = (req.headers.accept ?? '').includes('application/json');
  res.setHeader('x-timestamp', timestamp);

  if (invalid) {
    const all = state.invalid(name);
    const page = all.slice(offset, offset + limit);
    res.setHeader('x-count', String(all.length));
    if (req.method === 'HEAD') return void res.writeHead(200).end();
    if (json) return send(res, 'application/json', JSON.stringify(page.map((r) => ({ ...r, error: r.reason }))));
    return send(res, 'text/plain; charset=utf-8', page.map((r) => `// ${r.id}: [${r.code}] ${r.reason}\n`).join(''));
  }

  const page = table.routes.slice(offset, offset + limit);
  res.setHeader('x-count', String(table.routes.length));
  if (req.method === 'HEAD') return void res.writeHead(200).end();
  if (json) {
    return send(
      res,
      'application/json',
      JSON.stringify(page.map((r) => ({ ...r.definition, eskip: printRoute(r.definition) }))),
    );
  }
  const pretty = !url.searchParams.has('nopretty');
  return send(res, 'text/plain; charset=utf-8', printRoutes(page.map((r) => r.definition), { pretty }));
}

/** A paging parameter: absent gives the default; digits give their value; anything else null. */
function count(raw: string | null, absent: number): number | null {
  if (raw === null || raw === '') return absent;
  return /^[0-9]{1,9}$/.test(raw) ? Number(raw) : null;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
