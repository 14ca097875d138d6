/**
 * The Prometheus side of skiff in one object: the registry (injectable, so that a cluster of
 * worker processes can later be aggregated), the request metrics, the route table metrics, the
 * Kubernetes source instruments, the JWT key set fetches, the downstream connections, the process
 * metrics and the /metrics handler.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveMetricsOptions, type MetricsOptions } from './options.js';
import { ProxyMetrics } from './proxy-metrics.js';
import { TableMetrics } from './table-metrics.js';
import { createKubernetesMetrics, type KubernetesMetrics } from './kubernetes-metrics.js';
import { createJwksMetrics } from './jwks-metrics.js';
import { createConnectionMetrics } from './connection-metrics.js';
import { metricsHandler } from './handler.js';

export interface Metrics {
  readonly registry: Registry;
  readonly proxy: ProxyMetrics;
  readonly tables: TableMetrics;
  readonly kubernetes: KubernetesMetrics;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const o = resolveMetricsOptions(options);
  const registry = options.registry ?? new Registry();
  if (o.processMetrics) collectDefaultMetrics({ register: registry });
  const proxy = new ProxyMetrics(registry, o);
  const tables = new TableMetrics(registry, (hosts) => proxy.setRouteHosts(hosts));
  createJwksMetrics(registry);
  createConnectionMetrics(registry);
  return {
    registry,
    proxy,
    tables,
    kubernetes: createKubernetesMetrics(registry, o.buckets),
    handler: metricsHandler(registry),
  };
}
