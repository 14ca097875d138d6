/**
 * Metrics, tracing and access logs combined into the one ProxyObserver the proxy calls, plus
 * what the composition root wires elsewhere: the /metrics handler for the support listener, the
 * table hook, and the Kubernetes source instruments.
 *
 *   const obs = createObservability({ accessLog: { enabled: true }, log });
 *   const skiff = createSkiff({ ..., observer: obs.observer, metrics: obs.metricsHandler, onTable: obs.onTable });
 *   ...
 *   await obs.shutdown();
 */
import type { ExchangeRecord, ProxyObserver } from './proxy/observer.js';
import type { MetricsHandler } from './support/server.js';
import type { InvalidRoute } from './routing/route.js';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import type { MetricsOptions } from './metrics/options.js';
import type { ProxyMetrics } from './metrics/proxy-metrics.js';
import type { RouteTableSnapshot } from './metrics/table-metrics.js';
import type { KubernetesMetrics } from './metrics/kubernetes-metrics.js';
import { registerAccessLogMetrics } from './metrics/accesslog-metrics.js';
import { ProxyTracing, traceIdOfRecord, type TracingOptions } from './tracing/tracing.js';
import { startTracingSdk, type TracingSdk } from './tracing/sdk.js';
import { AccessLog, type AccessLogOptions } from './accesslog/access-log.js';

export interface ObservabilityOptions {
  /** false turns Prometheus metrics off; default on. */
  readonly metrics?: MetricsOptions | false;
  /**
   * false leaves trace headers alone and makes no spans. Otherwise spans are made whenever a
   * tracer SDK is registered; `fromEnv` first tries to start the OTLP exporter the OTEL_*
   * variables ask for (see src/tracing/sdk.ts).
   */
  readonly tracing?: (TracingOptions & { readonly fromEnv?: boolean; readonly propagators?: readonly string[] }) | false;
  /** Off unless `enabled`. */
  readonly accessLog?: AccessLogOptions;
  readonly log?: Logger;
}

export interface Observability {
  readonly observer: ProxyObserver;
  /** For SkiffConfig.metrics; undefined when metrics are off. */
  readonly metricsHandler: MetricsHandler | undefined;
  /** For SkiffConfig.onTable. */
  onTable(listener: string, table: RouteTableSnapshot, invalid: readonly InvalidRoute[]): void;
  /** For the Kubernetes source; does nothing when metrics are off. */
  readonly kubernetes: KubernetesMetrics;
  readonly metrics: Metrics | null;
  readonly tracing: ProxyTracing | null;
  readonly accessLog: AccessLog | null;
  /**
   * Settles once the exporter the OTEL_* variables ask for has been started, or has been found
   * not asked for or not startable (logged). Never rejects.
   */
  readonly ready: Promise<void>;
  /** Flushes the access log and the exporter. */
  shutdown(): Promise<void>;
}

const noKubernetesMetrics: KubernetesMetrics = {
  synced: () => {},
  watchRestart: () => {},
  event: () => {},
  relist: () => {},
  apiError: () => {},
  rebuild: () => {},
  follow: () => {},
};

/**
 * One object, one call per hook: each part is a field, not a list of closures. Tracing starts
 * first (its span should cover the others' work) and the access log reads the span's trace id.
 * A throwing part must not break the request, so each hook is guarded. The hooks are bound
 * (arrow properties, made once): the proxy may call them detached from the object.
 */
class CombinedObserver implements ProxyObserver {
  private lastErrorAt = 0;

  constructor(
    private readonly metrics: ProxyMetrics | null,
    private readonly tracing: ProxyTracing | null,
    private readonly accessLog: AccessLog | null,
    private readonly log: Logger,
  ) {}

  readonly started = (record: ExchangeRecord): void => {
    try {
      this.tracing?.started(record);
      this.metrics?.started(record);
    } catch (err) {
      this.failed('started', err);
    }
  };

  readonly upstreamStarting = (record: ExchangeRecord, headers: Record<string, string | string[]>): void => {
    try {
      this.tracing?.upstreamStarting(record, headers);
    } catch (err) {
      this.failed('upstreamStarting', err);
    }
  };

  readonly finished = (record: ExchangeRecord): void => {
    try {
      this.metrics?.finished(record);
      this.accessLog?.finished(record);
      this.tracing?.finished(record);
    } catch (err) {
      this.failed('finished', err);
    }
  };

  /** At most one log line a minute: an observer bug must not flood the log at request rate. */
  private failed(hook: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorAt < 60_000) return;
    this.lastErrorAt = now;
    this.log.error('observer failed', { hook, error: String(err) });
  }
}

export function createObservability(options: ObservabilityOptions = {}): Observability {
  const log = options.log ?? silentLogger;
  const metrics = options.metrics === false ? null : createMetrics(options.metrics);
  const tracingOptions = options.tracing === false ? null : (options.tracing ?? {});
  const tracing = tracingOptions === null ? null : new ProxyTracing(tracingOptions);
  const accessLog =
    options.accessLog?.enabled === true
      ? new AccessLog(options.accessLog, traceIdOfRecord, log)
      : null;
  if (metrics !== null && accessLog !== null) registerAccessLogMetrics(metrics.registry, accessLog.writer);

  let sdk: TracingSdk | null = null;
  const ready =
    tracing !== null && tracingOptions?.fromEnv === true
      ? startTracingSdk({ log, ...(tracingOptions.propagators === undefined ? {} : { propagators: tracingOptions.propagators }) })
          .then((s) => {
            sdk = s;
            tracing.refresh();
          })
          .catch((err: unknown) => log.error('tracing: could not start the exporter', { error: String(err) }))
      : Promise.resolve();

  return {
    observer: new CombinedObserver(metrics?.proxy ?? null, tracing, accessLog, log),
    metricsHandler: metrics?.handler,
    onTable: (listener, table, invalid) => metrics?.tables.update(listener, table, invalid),
    kubernetes: metrics?.kubernetes ?? noKubernetesMetrics,
    metrics,
    tracing,
    accessLog,
    ready,
    async shutdown(): Promise<void> {
      await ready;
      await accessLog?.close();
      await (sdk as TracingSdk | null)?.shutdown();
    },
  };
}
