/**
 * `skiff` as a process: parse the command line, build the configuration, start, and turn
 * SIGTERM into the drain sequence (SIGINT drains without the delay, for a terminal).
 */
import { readFileSync } from 'node:fs';
import cluster from 'node:cluster';
import { createPrimary } from '../cluster/primary.js';
import { runWorker } from '../cluster/worker.js';
import { answerMetricsRequests, clusterMetricsHandler } from '../cluster/metrics.js';
import { createObservability, type Observability } from '../observability.js';
import type { KubernetesMetrics } from '../metrics/kubernetes-metrics.js';
import { parseCommandLine, type CliOptions } from './options.js';
import { usage } from './help.js';
import { createSkiff, type ListenerConfig, type SkiffConfig } from '../skiff.js';
import { RoutesFileSource } from '../sources/routes-file.js';
import { createLogger, type Logger } from '../log.js';
import { SkiffError } from '../errors.js';
import type { RouteSourceHandle } from '../sources/source.js';
import { IngressRoutes } from '../sources/kubernetes.js';
import { IngressDirWatch } from '../sources/ingress-dir.js';
import { IngressStatusWriter } from '../kubernetes/status.js';
import { clientIpPolicyFromFlags } from '../proxy/client-ip.js';
import { loadPlugins, type LoadedPlugins } from '../plugins/load-plugins.js';
import { SourceError } from '../source-error.js';
import { translateOptionsFrom } from './translate-options.js';
import { runCheck } from './check.js';
import { checkTracingEnv } from '../tracing/otlp-env.js';

/**
 * The Kubernetes API source, loaded only when --kubernetes asks for it: it brings in
 * @kubernetes/client-node, whose generated API modules alone keep about 20 MB of source text on
 * the heap (half of skiff's heap with a routes file), which every full collection then walks.
 */
let kubernetesSource: typeof import('../kubernetes/source.js') | undefined;

/** Loads the Kubernetes API source; configFrom needs it first when the options say --kubernetes. */
export async function loadKubernetesSource(): Promise<void> {
  kubernetesSource ??= await import('../kubernetes/source.js');
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'check') return runCheck(argv.slice(1));
  let opts: CliOptions;
  try {
    opts = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`skiff: ${(err as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const log = createLogger(opts.logLevel);
  try {
    // A tracing setting the exporter cannot honour stops the start before anything listens.
    checkTracingEnv(process.env);
  } catch (err) {
    process.stderr.write(`skiff: ${(err as Error).message}\n`);
    return 1;
  }
  const isWorker = cluster.isWorker && process.env.SKIFF_CLUSTER_WORKER === '1';
  const isPrimary = !isWorker && opts.workers > 1;
  let plugins: LoadedPlugins;
  try {
    plugins = await loadPlugins(opts.filterPlugins);
  } catch (err) {
    process.stderr.write(startFailure(err));
    return 1;
  }
  let config: SkiffConfig;
  let obs: Observability;
  try {
    // The primary of several workers serves no traffic: its metrics are the workers' merged.
    obs = observabilityFrom(opts, log, isPrimary ? 'primary' : isWorker ? 'worker' : 'single');
    if (opts.kubernetes && !isWorker) await loadKubernetesSource();
    config = {
      ...configFrom(opts, log, { sources: !isWorker, kubernetesMetrics: obs.kubernetes }),
      filters: plugins.filters,
      predicates: plugins.predicates,
      observer: obs.observer,
      onTable: obs.onTable,
      onRebuild: (_listener, seconds) => obs.kubernetes.rebuild(seconds),
    };
    const handler = obs.metrics === null ? undefined : isPrimary ? clusterMetricsHandler(obs.metrics.registry) : obs.metricsHandler;
    if (handler !== undefined) config = { ...config, metrics: handler };
  } catch (err) {
    process.stderr.write(`skiff: ${(err as Error).message}\n`);
    return 2;
  }
  // The exporter is started before traffic is served, so the first requests are traced too.
  await obs.ready;
  if (isWorker) {
    if (obs.metrics !== null) answerMetricsRequests(obs.metrics.registry);
    const code = await runWorker(config, log);
    await obs.shutdown().catch(() => undefined);
    return code;
  }
  const primary = isPrimary ? createPrimary(config, { workers: opts.workers, ...(obs.metrics !== null ? { registry: obs.metrics.registry } : {}) }, log) : null;
  const skiff = primary ?? createSkiff(config);
  // Signals are handled from the start: a pod told to stop while it still waits for its first
  // route table (an unreachable API) must still drain and exit cleanly.
  let stopping: Promise<number> | null = null;
  const shutdown = (signal: string | null, delay: number | undefined): Promise<number> => {
    stopping ??= (async () => {
      if (signal !== null) log.info('signal received', { signal });
      try {
        await skiff.stop(delay === undefined ? undefined : { drainDelayMs: delay });
        await obs.shutdown().catch(() => undefined);
        return 0;
      } catch (err) {
        log.error('shutdown failed', { error: String(err) });
        return 1;
      }
    })();
    return stopping;
  };
  const stopped = new Promise<number>((resolve) => {
    process.once('SIGTERM', () => void shutdown('SIGTERM', undefined).then(resolve));
    process.once('SIGINT', () => void shutdown('SIGINT', 0).then(resolve));
    // A worker that cannot listen, or a crash loop: the other workers stop and the process exits 1.
    void primary?.failed.then((reason) => {
      process.stderr.write(`skiff: ${reason}\n`);
      return shutdown(null, 0).then(() => resolve(1));
    });
  });
  try {
    // A signal during start-up wins: stop() ends the sources start() may still be waiting on.
    const early = await Promise.race([skiff.start().then(() => null), stopped]);
    if (early !== null) return early;
  } catch (err) {
    if (stopping !== null) return stopping;
    const msg = err instanceof SkiffError ? `${err.code}: ${err.message}` : (err as Error).message;
    log.error('start failed', { error: msg });
    process.stderr.write(startFailure(err));
    await skiff.stop({ drainDelayMs: 0 }).catch(() => undefined);
    return 1;
  }
  return stopped;
}

/**
 * The last words of a start that failed: a file's problems as `FILE:LINE:COLUMN: message` lines
 * (the form editors and CI annotations read), anything else after `skiff: `.
 */
function startFailure(err: unknown): string {
  return err instanceof SourceError ? `${err.message}\n` : `skiff: ${err instanceof Error ? err.message : String(err)}\n`;
}

/**
 * The configuration the options describe. Workers of `--workers N` pass `sources: false`: their
 * routes come from the primary, which alone reads files and watches the API.
 */
export function configFrom(
  opts: CliOptions,
  log: Logger,
  want: { sources: boolean; kubernetesMetrics?: KubernetesMetrics } = { sources: true },
): SkiffConfig {
  const shared: RouteSourceHandle[] = [];
  if (want.sources && opts.routesFiles.length > 0) shared.push(new RoutesFileSource(opts.routesFiles, log));
  const ingress = want.sources ? ingressRoutesFrom(opts, log, want.kubernetesMetrics) : null;
  // Routes files are shared by every listener; Ingress routes go only to the listener of their class.
  // Each listener publishes its own load balancer's addresses, or else --publish-status-address.
  const fallback = opts.publishStatusAddress !== null ? [opts.publishStatusAddress] : [];
  const listeners: ListenerConfig[] = [
    {
      name: 'default',
      host: opts.address.host,
      port: opts.address.port,
      ...(ingress !== null ? { sources: [ingress.sourceFor('default', opts.ingressClasses, { statusAddresses: fallback })] } : {}),
    },
    ...opts.listeners.map((l) => ({
      name: l.name,
      host: l.address.host,
      port: l.address.port,
      ...(ingress !== null
        ? { sources: [ingress.sourceFor(l.name, l.classes, { statusAddresses: l.statusAddresses.length > 0 ? l.statusAddresses : fallback })] }
        : {}),
    })),
  ];
  if (want.sources && shared.length === 0 && ingress === null) {
    throw new SkiffError('SKIFF_ERR_INVALID_OPTION', 'no route source: give --routes-file, --ingress-dir or --kubernetes');
  }
  return {
    listeners,
    clientIp: clientIpPolicyFromFlags(opts.trustedProxies, opts.trustedHops),
    support: opts.supportAddress,
    sources: shared,
    proxy: {
      xff: opts.xff,
      preserveHost: opts.preserveHost,
      connectTimeoutMs: opts.connectTimeoutMs,
      headersTimeoutMs: opts.headersTimeoutMs,
      bodyIdleTimeoutMs: opts.bodyIdleTimeoutMs,
      keepAliveTimeoutMs: opts.keepAliveTimeoutMs,
      maxConnectionsPerEndpoint: opts.maxConnectionsPerEndpoint,
      backendQueueTimeoutMs: opts.backendQueueTimeoutMs,
      writeTimeoutMs: opts.writeTimeoutMs,
      maxConcurrentRequests: opts.maxConcurrentRequests,
      maxTcpListenerConcurrency: opts.maxTcpListenerConcurrency,
      maxRequestHeaderLines: opts.maxRequestHeaderLines,
      underscoreHeaders: opts.underscoreHeaders,
      requestTimeoutMs: opts.requestTimeoutMs,
      requestBodyIdleTimeoutMs: opts.requestBodyIdleTimeoutMs,
      ejectAfterFailures: opts.ejectAfterFailures,
      ejectionMs: opts.ejectionMs,
    },
    log,
    drainDelayMs: opts.drainDelayMs,
    shutdownDeadlineMs: opts.shutdownDeadlineMs,
  };
}

/** The Ingress route sources of --ingress-dir or --kubernetes, or null when neither is given. */
function ingressRoutesFrom(opts: CliOptions, log: Logger, metrics: KubernetesMetrics | undefined): IngressRoutes | null {
  if (opts.ingressDir !== null && opts.kubernetes) {
    throw new SkiffError('SKIFF_ERR_INVALID_OPTION', '--ingress-dir and --kubernetes cannot be combined: read Ingresses from a directory or from the API, not both');
  }
  const names = new Set(['default']);
  for (const l of opts.listeners) {
    if (names.has(l.name)) throw new SkiffError('SKIFF_ERR_INVALID_OPTION', `--listener ${l.name}: the listener name is already taken`);
    names.add(l.name);
  }
  const translate = translateOptionsFrom(opts);
  const publishing = opts.publishStatusAddress !== null || opts.listeners.some((l) => l.statusAddresses.length > 0);
  if (opts.ingressDir !== null) {
    if (publishing) log.warn('status addresses (--publish-status-address, --listener ...=ADDRESS) are ignored with --ingress-dir (there is no API to write to)');
    return new IngressRoutes(new IngressDirWatch(opts.ingressDir, { log }), { log, translate });
  }
  if (!opts.kubernetes) {
    if (opts.listeners.length > 0) log.warn('--listener without --ingress-dir or --kubernetes serves only the routes files');
    return null;
  }
  if (kubernetesSource === undefined) throw new Error('configFrom: call loadKubernetesSource() first for --kubernetes');
  const { ApiSnapshotProvider, kubeLoggerFrom } = kubernetesSource;
  const logger = kubeLoggerFrom(log);
  const provider = ApiSnapshotProvider.connect({ ...(opts.kubeconfig !== null ? { kubeconfig: opts.kubeconfig } : {}), logger });
  metrics?.follow(() => provider.watch.stats());
  // Every listener source carries its addresses (configFrom): the writer needs none of its own.
  const status = publishing && provider.client !== undefined ? new IngressStatusWriter({ client: provider.client, logger }) : undefined;
  return new IngressRoutes(provider, { log, translate, ...(status !== undefined ? { status } : {}) });
}

/** Metrics, tracing and access logs as the options ask, shaped for this process's role. */
function observabilityFrom(opts: CliOptions, log: Logger, role: 'single' | 'primary' | 'worker'): Observability {
  const accessLogOn = opts.accessLog !== 'off' && role !== 'primary';
  return createObservability({
    metrics: opts.metrics
      ? {
          serveRoute: opts.serveRouteMetrics,
          serveHost: opts.serveHostMetrics,
          routeBackend: opts.routeBackendMetrics,
          backendHost: opts.backendHostMetrics,
          ...(opts.histogramBuckets !== null ? { buckets: opts.histogramBuckets } : {}),
        }
      : false,
    tracing: role === 'primary' ? false : { fromEnv: true },
    accessLog: {
      enabled: accessLogOn,
      destination: opts.accessLog,
      sampleRate: opts.accessLogSampleRate,
      // Several workers share stdout: writes up to PIPE_BUF reach a pipe whole, never interleaved.
      ...(role === 'worker' ? { batchBytes: 4096 } : {}),
    },
    log,
  });
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
