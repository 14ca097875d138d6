/** The request metrics count each request under its own status, method, route and host. */
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { ProxyMetrics } from '../../src/metrics/proxy-metrics.js';
import { resolveMetricsOptions } from '../../src/metrics/options.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { exchangeRecord } from '../helpers/exchange-record.js';

function record(routeId: string, status: number, method: string, ms: number): ExchangeRecord {
  return exchangeRecord({
    request: { method },
    routeId,
    status,
    endNs: 1_000_000n + BigInt(ms * 1e6),
    upstreamStartNs: 1_100_000n,
    upstreamEndNs: 1_000_000n + BigInt(ms * 1e6),
    endpoint: { authority: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' } as ExchangeRecord['endpoint'],
    bytes: 13,
  });
}

async function counts(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  const out: Record<string, number> = {};
  for (const v of metric.values as { labels: Record<string, string | number>; value: number; metricName?: string }[]) {
    if (v.metricName !== `${name}_count`) continue;
    const { code, method, route, host } = v.labels;
    out[[code, method, route ?? host].join(' ')] = v.value;
  }
  return out;
}

describe('ProxyMetrics', () => {
  it('keeps each (status, method) of a route apart when requests alternate between them', async () => {
    const registry = new Registry();
    const metrics = new ProxyMetrics(registry, resolveMetricsOptions({}));
    metrics.setRouteHosts(new Map([['a', 'a.example.org'], ['b', 'b.example.org']]));
    const sequence: [string, number, string][] = [
      ['a', 200, 'GET'], ['a', 404, 'POST'], ['a', 200, 'GET'], ['b', 200, 'GET'], ['a', 404, 'POST'],
      ['a', 200, 'PATCH'], ['b', 503, 'GET'], ['a', 200, 'GET'], ['a', 200, 'BREW'],
    ];
    for (const [route, status, method] of sequence) metrics.finished(record(route, status, method, 3));
    expect(await counts(registry, 'skipper_serve_route_duration_seconds')).toEqual({
      '200 GET a': 3,
      '404 POST a': 2,
      '200 PATCH a': 1,
      '200 _other a': 1,
      '200 GET b': 1,
      '503 GET b': 1,
    });
    expect(await counts(registry, 'skipper_serve_host_duration_seconds')).toEqual({
      '200 GET a_example_org': 3,
      '404 POST a_example_org': 2,
      '200 PATCH a_example_org': 1,
      '200 _other a_example_org': 1,
      '200 GET b_example_org': 1,
      '503 GET b_example_org': 1,
    });
  });

  it('puts a duration in the same bucket in every histogram it goes to', async () => {
    const registry = new Registry();
    const metrics = new ProxyMetrics(registry, resolveMetricsOptions({}));
    metrics.setRouteHosts(new Map([['a', 'a.example.org']]));
    metrics.finished(record('a', 200, 'GET', 30)); // 0.03 s: above 0.025, within 0.05
    const json = await registry.getMetricsAsJSON();
    for (const name of ['skipper_proxy_total_duration_seconds', 'skipper_serve_route_duration_seconds', 'skipper_serve_host_duration_seconds']) {
      const buckets = (json.find((m) => m.name === name)!.values as { labels: { le?: number | string }; value: number; metricName?: string }[])
        .filter((v) => v.metricName === `${name}_bucket`)
        .map((v) => [v.labels.le, v.value]);
      expect(buckets.find(([le]) => le === 0.025)![1], name).toBe(0);
      expect(buckets.find(([le]) => le === 0.05)![1], name).toBe(1);
    }
  });
});
