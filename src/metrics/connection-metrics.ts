/**
 * Downstream connections, read from the process-wide counts at every scrape: open now, and
 * refused at --max-tcp-listener-concurrency. Skipper reports its TCP queue as custom gauges
 * (`listener.accepted.connections`, `listener.queued.connections`) and has no refusal counter,
 * since it queues instead of refusing; hence skiff's own names.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { downstreamConnectionCounts, type DownstreamConnectionCounts } from '../proxy/connection-counts.js';

export function createConnectionMetrics(registry: Registry, read: () => Readonly<DownstreamConnectionCounts> = downstreamConnectionCounts): void {
  const registers = [registry];
  let refusedSeen = 0;
  new Gauge({
    name: 'skiff_downstream_connections',
    help: 'Downstream (client) connections open now on the proxy listeners, upgraded ones included.',
    registers,
    collect(this: Gauge) {
      this.set(read().open);
    },
  });
  new Counter({
    name: 'skiff_downstream_connections_refused_total',
    help: 'Downstream connections closed on arrival because their listener had --max-tcp-listener-concurrency open.',
    registers,
    collect(this: Counter) {
      const refused = read().refused;
      if (refused > refusedSeen) this.inc(refused - refusedSeen);
      refusedSeen = refused;
    },
  });
}
