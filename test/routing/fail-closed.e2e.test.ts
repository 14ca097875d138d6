/**
 * Access control fails closed, end to end: a route whose access filter cannot be built keeps its
 * place and answers 500 with its error code, while a catch-all beside it would have let the
 * request through to a backend. Real sockets on loopback, a real echo backend that counts what
 * reaches it, and the support listener's /routes?invalid and /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import { createLogger } from '../../src/log.js';
import { ErrorCode } from '../../src/errors.js';
import { parseExposition, type Sample } from '../metrics/exposition.js';

/** The value of the first sample of `name` whose labels include `labels`. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('a route that cannot be built answers 500 in its place', () => {
  let echo: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  const logged: string[] = [];

  beforeAll(async () => {
    echo = await startEcho();
    obs = createObservability({ metrics: {} });
    // every access filter with arguments it cannot use, each beside the open catch-all
    const routes = `
      admin: Path("/admin/*rest") -> ipAllowList("10.0.0.0/33") -> "${echo.url}";
      deny: PathSubtree("/deny") -> ipDenyList("not-an-ip") -> "${echo.url}";
      jwt: PathSubtree("/jwt") -> jwtClaimToHeader("{not json", "sub", "X-User") -> "${echo.url}";
      validation: PathSubtree("/validation") -> jwtValidation() -> "${echo.url}";
      limited: PathSubtree("/limited") -> clientRatelimit("many", "1m") -> "${echo.url}";
      routeLimit: PathSubtree("/route-limit") -> ratelimit(10, "forever") -> "${echo.url}";
      unknown: PathSubtree("/unknown") -> noSuchFilter() -> "${echo.url}";
      badPredicate: PathSubtree("/pred") && Method("GET") && NoSuchPredicate() -> "${echo.url}";
      open: * -> "${echo.url}";
    `;
    const log = createLogger('warn', (line) => void logged.push(line));
    skiff = await startSkiff(routes, { observer: obs.observer, metrics: obs.metricsHandler, onTable: obs.onTable, log });
  });

  afterAll(async () => {
    await skiff?.stop();
    await echo?.close();
    await obs?.shutdown();
  });

  const cases: [string, string, string][] = [
    ['/admin/secret', 'admin', ErrorCode.InvalidArgs],
    ['/deny/x', 'deny', ErrorCode.InvalidArgs],
    ['/jwt/me', 'jwt', ErrorCode.InvalidArgs],
    ['/validation', 'validation', ErrorCode.InvalidArgs],
    ['/limited/a', 'limited', ErrorCode.InvalidArgs],
    ['/route-limit', 'routeLimit', ErrorCode.InvalidArgs],
    ['/unknown/a', 'unknown', ErrorCode.UnknownFilter],
    ['/pred/a', 'badPredicate', ErrorCode.UnknownPredicate],
  ];

  it('never lets a request meant for a broken route reach a backend', async () => {
    for (const [path, , code] of cases) {
      const before = echo.received.length;
      const reply = await request(skiff.url + path, { headers: { 'x-forwarded-for': '10.0.0.1' } });
      expect(reply.status, path).toBe(500);
      expect(reply.text, path).toContain(code);
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(echo.received.length, path).toBe(before);
    }
    // the predicates that could be built are kept: POST /pred is not the broken route's
    expect((await request(skiff.url + '/pred/a', { method: 'POST' })).status).toBe(200);
    // the catch-all still serves everything else
    const open = await request(skiff.url + '/somewhere');
    expect(open.status).toBe(200);
    expect(echo.received.at(-1)?.url).toBe('/somewhere');
  });

  it('lists each broken route at /routes?invalid with its code, and leaves it out of /routes', async () => {
    const invalid = await request(skiff.supportUrl + '/routes?invalid', { headers: { accept: 'application/json' } });
    expect(invalid.status).toBe(200);
    const listed = JSON.parse(invalid.text) as { id: string; code: string; failClosed?: boolean }[];
    const byId = new Map(listed.map((r) => [r.id, r]));
    for (const [, id, code] of cases) {
      expect(byId.get(id)?.code, id).toBe(code);
      expect(byId.get(id)?.failClosed, id).toBe(true);
    }
    const live = await request(skiff.supportUrl + '/routes');
    expect(live.text).toContain('open:');
    expect(live.text).not.toContain('admin:');
  });

  it('logs each broken route and counts it and its 500s in the metrics', async () => {
    for (const [, id] of cases) expect(logged.some((l) => l.includes('route set aside') && l.includes(`"${id}"`)), id).toBe(true);
    await request(skiff.url + '/admin/again');
    const samples = parseExposition((await request(skiff.supportUrl + '/metrics')).text);
    expect(valueOf(samples, 'skipper_route_invalid', { route_id: 'admin' })).toBe(1);
    expect(valueOf(samples, 'skipper_serve_route_duration_seconds_count', { route: 'admin', code: '500', method: 'GET' })).toBeGreaterThanOrEqual(2);
  });
});
