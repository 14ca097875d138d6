/**
 * Prometheus metrics across the workers of `--workers N`: the primary's /metrics asks every
 * worker for its registry as JSON, adds its own (route tables, Kubernetes source), and merges
 * them with prom-client's aggregation (counters and histograms summed, gauges by their own
 * aggregator). A worker that does not answer within the timeout is left out of that scrape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, type Registry } from 'prom-client';
import { isPrimaryMessage, isWorkerMessage } from './messages.js';

/** Worker side: answer the primary's scrape requests from this registry. */
export function answerMetricsRequests(registry: Registry): void {
  process.on('message', (m: unknown) => {
    if (!isPrimaryMessage(m) || m.skiff !== 'metrics-request') return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.connected && process.send?.({ skiff: 'metrics-reply', id: m.id, metrics }),
      () => process.connected && process.send?.({ skiff: 'metrics-reply', id: m.id, metrics: [] }),
    );
  });
}

/** Primary side: the /metrics handler over every worker plus the primary's own registry. */
export function clusterMetricsHandler(own: Registry, timeoutMs = 2000): (req: IncomingMessage, res: ServerResponse) => void {
  let nextId = 1;
  const ask = (w: Worker, id: number): Promise<unknown[] | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const onMessage = (m: unknown): void => {
        if (isWorkerMessage(m) && m.skiff === 'metrics-reply' && m.id === id) done(m.metrics as unknown[]);
      };
      const done = (v: unknown[] | null): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        resolve(v);
      };
      w.on('message', onMessage);
      if (w.isConnected()) w.send({ skiff: 'metrics-request', id });
      else done(null);
    });
  return (_req, res) => {
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const id = nextId++;
    Promise.all([own.getMetricsAsJSON(), ...workers.map((w) => ask(w, id))])
      .then(async (parts) => {
        const present = parts.filter((p): p is NonNullable<typeof p> => p !== null);
        const merged = AggregatorRegistry.aggregate(present as Parameters<typeof AggregatorRegistry.aggregate>[0]);
        const body = await merged.metrics();
        res.writeHead(200, { 'content-type': merged.contentType, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics: ${String(err)}\n`);
      });
  };
}

/**
 * Primary side: `skiff_worker_restarts_total`, the workers forked to replace one that exited
 * while nobody asked it to (a crash, an OOM kill, a kill by hand). Alerts watch its rate: a
 * worker now and then is survivable, a steady rate is a bug or a limit too tight.
 */
export function workerRestartsCounter(registry: Registry): Counter {
  return new Counter({
    name: 'skiff_worker_restarts_total',
    help: 'Workers started to replace a worker that exited unexpectedly.',
    registers: [registry],
  });
}
