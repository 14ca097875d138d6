/**
 * Metrics after real traffic: skiff on loopback with an echo backend, scraped on the support
 * listener. Checks Skipper's names and label shapes, counts, bounded label values, and that the
 * proxy listener does not serve /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import { parseExposition, sampleValue, type Sample } from './exposition.js';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('metrics on the support listener', () => {
  let echo: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  let samples: Sample[];

  beforeAll(async () => {
    echo = await startEcho();
    const dead = await closedPort();
    obs = createObservability({ metrics: { routeBackend: true, backendHost: true, processMetrics: true } });
    const routes = `
      api: Host("^(api[.]example[.]org[.]?(:[0-9]+)?)$") && Path("/v1") -> "${echo.url}";
      shop: HostAny("shop.example.org:8080", "other.example.org") -> "${echo.url}";
      plain: Path("/plain") -> "${echo.url}";
      dead: Path("/dead") -> "http://127.0.0.1:${dead}";
      broken: Path("/broken") -> noSuchFilter() -> "${echo.url}";
    `;
    skiff = await startSkiff(routes, { observer: obs.observer, metrics: obs.metricsHandler, onTable: obs.onTable });
    const get = (path: string, host: string, method = 'GET') => request(skiff.url + path, { method, headers: { host } });
    for (let i = 0; i < 3; i++) expect((await get('/v1', 'api.example.org')).status).toBe(200);
    expect((await get('/v1', 'api.example.org', 'POST')).status).toBe(200);
    expect((await get('/anything', 'shop.example.org:8080')).status).toBe(200);
    expect((await get('/plain', 'attacker-chosen.example')).status).toBe(200);
    expect((await get('/plain', 'api.example.org', 'PROPFIND')).status).toBe(200);
    expect((await get('/dead', 'api.example.org')).status).toBe(502);
    expect((await get('/nothing-here', 'random-1.example')).status).toBe(404);
    expect((await get('/nothing-here', 'random-2.example')).status).toBe(404);
    const scrape = await request(skiff.supportUrl + '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    samples = parseExposition(scrape.text);
  });

  afterAll(async () => {
    await skiff?.stop();
    await echo?.close();
    await obs?.shutdown();
  });

  it('does not serve /metrics on the proxy listener', async () => {
    const r = await request(skiff.url + '/metrics', { headers: { host: 'api.example.org' } });
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('skipper_');
  });

  it('counts serve durations by route, with code and method labels', () => {
    const v = (labels: Record<string, string>) => sampleValue(samples, 'skipper_serve_route_duration_seconds_count', labels);
    expect(v({ code: '200', method: 'GET', route: 'api' })).toBe(3);
    expect(v({ code: '200', method: 'POST', route: 'api' })).toBe(1);
    expect(v({ code: '200', method: 'GET', route: 'shop' })).toBe(1);
    expect(v({ code: '502', method: 'GET', route: 'dead' })).toBe(1);
    // An unknown method folds into one label value.
    expect(v({ code: '200', method: '_other', route: 'plain' })).toBe(1);
    // Requests no route matched share the empty route.
    expect(v({ code: '404', method: 'GET', route: '' })).toBe(2);
  });

  it('labels hosts from the route table, escaped as Skipper does, never from the Host header', () => {
    const v = (labels: Record<string, string>) => sampleValue(samples, 'skipper_serve_host_duration_seconds_count', labels);
    expect(v({ code: '200', method: 'GET', host: 'api_example_org' })).toBe(3);
    expect(v({ code: '200', method: 'GET', host: 'shop_example_org__8080' })).toBe(1);
    expect(v({ code: '200', method: 'GET', host: '' })).toBe(1);
    expect(v({ code: '404', method: 'GET', host: 'unknown' })).toBe(2);
    const hosts = new Set(samples.filter((s) => s.name === 'skipper_serve_host_duration_seconds_count').map((s) => s.labels.host));
    for (const h of hosts) expect(h).not.toMatch(/attacker|random/);
    // Histograms have buckets ending in +Inf equal to the count.
    const inf = sampleValue(samples, 'skipper_serve_host_duration_seconds_bucket', { code: '200', method: 'GET', host: 'api_example_org', le: '+Inf' });
    expect(inf).toBe(3);
  });

  it('measures backend calls per route and per backend host, and counts backend errors', () => {
    const echoHost = `127_0_0_1__${echo.port}`;
    expect(sampleValue(samples, 'skipper_backend_duration_seconds_count', { route: 'api', host: '', zone: '' })).toBe(4);
    expect(sampleValue(samples, 'skipper_backend_duration_seconds_count', { route: '', host: echoHost, zone: '' })).toBe(7);
    expect(sampleValue(samples, 'skipper_backend_combined_duration_seconds_count', {})).toBe(8);
    expect(sampleValue(samples, 'skipper_backend_error_total', { route: 'dead' })).toBe(1);
    expect(sampleValue(samples, 'skipper_backend_error_total', { route: 'api' })).toBeUndefined();
    expect(sampleValue(samples, 'skipper_backend_5xx_duration_seconds_count', {})).toBe(1);
  });

  it('counts lookups, misses, total durations and response sizes', () => {
    expect(sampleValue(samples, 'skipper_route_lookup_duration_seconds_count', {})).toBe(10);
    expect(sampleValue(samples, 'skipper_route_error_total', {})).toBe(2);
    expect(sampleValue(samples, 'skipper_proxy_total_duration_seconds_count', {})).toBe(10);
    expect(sampleValue(samples, 'skipper_response_size_bytes_count', { host: 'api_example_org' })).toBe(4);
    const sum = sampleValue(samples, 'skipper_response_size_bytes_sum', { host: 'api_example_org' }) ?? 0;
    // The echo backend answers with a JSON body of a few hundred bytes.
    expect(sum).toBeGreaterThan(4 * 100);
  });

  it('reports the route table: size, update time and routes set aside', () => {
    expect(sampleValue(samples, 'skipper_custom_gauges', { key: 'routes.total' })).toBe(4);
    const updated = sampleValue(samples, 'skipper_custom_gauges', { key: 'routes.updated_timestamp' }) ?? 0;
    expect(Math.abs(updated - Date.now() / 1000)).toBeLessThan(60);
    expect(sampleValue(samples, 'skipper_route_invalid', { route_id: 'broken', reason: 'unknown_filter' })).toBe(1);
    expect(sampleValue(samples, 'skiff_route_table_routes', { listener: 'default' })).toBe(4);
  });

  it('includes the process metrics', () => {
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('answers other methods with 405', async () => {
    const r = await request(skiff.supportUrl + '/metrics', { method: 'POST' });
    expect(r.status).toBe(405);
  });
});
