/**
 * Metrics about the route tables, updated after every swap: Skipper's custom gauges
 * `routes.total` and `routes.updated_timestamp`, one `skipper_route_invalid` series per route
 * set aside (with a bounded reason), and the size of each listener's table. It also keeps the
 * route id → host map the request metrics label hosts with.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Route, InvalidRoute } from '../routing/route.js';
import { routeHost } from './route-host.js';

/** What the metrics read of a route table. */
export interface RouteTableSnapshot {
  readonly routes: readonly Route[];
  readonly createdAt: Date;
}

interface ListenerTable {
  readonly size: number;
  readonly invalid: readonly InvalidRoute[];
  readonly hosts: ReadonlyMap<string, string>;
}

/** `SKIFF_ERR_UNKNOWN_FILTER` → `unknown_filter`: a short, bounded reason label. */
export function invalidReason(code: string): string {
  const short = code.startsWith('SKIFF_ERR_') ? code.slice('SKIFF_ERR_'.length) : code;
  return short.toLowerCase() || 'other';
}

export class TableMetrics {
  private readonly custom: Gauge<'key'>;
  private readonly invalid: Gauge<'route_id' | 'reason'>;
  private readonly size: Gauge<'listener'>;
  private readonly listeners = new Map<string, ListenerTable>();

  constructor(
    registry: Registry,
    /** Called with the merged route id → host map after every update. */
    private readonly onHosts: (hosts: ReadonlyMap<string, string>) => void,
  ) {
    const registers = [registry];
    this.custom = new Gauge({ name: 'skipper_custom_gauges', help: 'Gauges keyed as in Skipper (routes.total, routes.updated_timestamp).', labelNames: ['key'], registers, aggregator: 'max' });
    this.invalid = new Gauge({ name: 'skipper_route_invalid', help: 'Routes set aside, by route id and reason.', labelNames: ['route_id', 'reason'], registers, aggregator: 'max' });
    this.size = new Gauge({ name: 'skiff_route_table_routes', help: 'Routes in the live table of each listener.', labelNames: ['listener'], registers, aggregator: 'max' });
  }

  /** Matches SkiffConfig.onTable. Runs off the request path, after the swap. */
  update(listener: string, table: RouteTableSnapshot, invalid: readonly InvalidRoute[]): void {
    const hosts = new Map<string, string>();
    for (const r of table.routes) {
      const host = routeHost(r.definition);
      if (host !== '') hosts.set(r.id, host);
    }
    this.listeners.set(listener, { size: table.routes.length, invalid, hosts });
    this.size.set({ listener }, table.routes.length);

    let total = 0;
    const merged = new Map<string, string>();
    this.invalid.reset();
    for (const l of this.listeners.values()) {
      total += l.size;
      for (const [id, host] of l.hosts) merged.set(id, host);
      for (const r of l.invalid) this.invalid.set({ route_id: r.id, reason: invalidReason(r.code) }, 1);
    }
    this.custom.set({ key: 'routes.total' }, total);
    this.custom.set({ key: 'routes.updated_timestamp' }, Math.floor(table.createdAt.getTime() / 1000));
    this.onHosts(merged);
  }
}
