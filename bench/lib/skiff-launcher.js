// skiff's command line (the same options, parsed and turned into a configuration by dist/src/cli)
// with the observer the benchmarks want wired in: `--observe metrics` (the default) turns on
// Prometheus metrics, `metrics+tracing` adds the tracing hooks, `none` leaves the proxy bare. If
// the command line itself wires an observer, that one is kept. `--workers N` works as in
// bin/skiff.js: this script is the primary and, forked again, each worker.
// Usage: node bench/lib/skiff-launcher.js [--observe metrics|metrics+tracing|none] <skiff options>
import cluster from 'node:cluster';

const dist = new URL('../../dist/src/', import.meta.url);
const { parseCommandLine } = await import(new URL('cli/options.js', dist));
const { configFrom } = await import(new URL('cli/main.js', dist));
const { createPrimary } = await import(new URL('cluster/primary.js', dist));
const { runWorker } = await import(new URL('cluster/worker.js', dist));
const { createSkiff } = await import(new URL('skiff.js', dist));
const { createObservability } = await import(new URL('observability.js', dist));
const { createLogger } = await import(new URL('log.js', dist));

const argv = process.argv.slice(2);
let observe = 'metrics';
const at = argv.indexOf('--observe');
if (at !== -1) [, observe] = argv.splice(at, 2);
const parts = observe === 'none' ? [] : observe.split('+');

const opts = parseCommandLine(argv);
const log = createLogger(opts.logLevel);
const isWorker = cluster.isWorker && process.env.SKIFF_CLUSTER_WORKER === '1';
const base = configFrom(opts, log, { sources: !isWorker });
const obs =
  base.observer !== undefined || parts.length === 0
    ? null
    : createObservability({ metrics: parts.includes('metrics') ? {} : false, tracing: parts.includes('tracing') ? {} : false, log });
const config = obs === null ? base : { ...base, observer: obs.observer, metrics: obs.metricsHandler, onTable: obs.onTable };

if (isWorker) {
  process.exit(await runWorker(config, log));
} else {
  const skiff = opts.workers > 1 ? createPrimary(config, { workers: opts.workers }, log) : createSkiff(config);
  const stop = () => skiff.stop({ drainDelayMs: 0 }).then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await skiff.start();
}
