/**
 * The request metrics under Skipper's names and label shapes, so existing dashboards and
 * alerts keep working: serve duration by route and by host, backend durations and errors,
 * route lookup, total proxy time and response sizes.
 *
 * Label-bound series are cached per route (and per status and method within it), so a request
 * costs map lookups and array increments (see fast-histogram.ts), never a `labels({...})` object.
 */
import { Counter, type Registry } from 'prom-client';
import type { ExchangeRecord } from '../proxy/observer.js';
import type { ResolvedMetricsOptions } from './options.js';
import { escapeHost, methodIndex, methodLabel, methodSlots, unknownHost } from './labels.js';
import { FastHistogram, bucketSlot, type HistogramSeries } from './fast-histogram.js';
import { monotonicNs } from '../proxy/clock.js';

interface CounterChild {
  inc(value?: number): void;
}

/** The children of one route: created on first use, dropped when the table changes. */
class RouteSeries {
  /** Keyed by status * methodSlots + method index. */
  readonly serveRoute = new Map<number, HistogramSeries>();
  readonly serveHost = new Map<number, HistogramSeries>();
  /** The key of the last request and its two series: most requests of a route repeat it. */
  lastKey = -1;
  lastServeRoute: HistogramSeries | null = null;
  lastServeHost: HistogramSeries | null = null;
  backend: HistogramSeries | null = null;
  backendError: CounterChild | null = null;
  size: HistogramSeries | null = null;

  constructor(
    readonly route: string,
    /** Escaped host label. */
    readonly host: string,
  ) {}
}

/** The series under `key`, made and kept on first use. */
function cached(series: Map<number, HistogramSeries>, key: number, make: () => HistogramSeries): HistogramSeries {
  let found = series.get(key);
  if (found === undefined) {
    found = make();
    series.set(key, found);
  }
  return found;
}

/** The failure reasons that mean the backend call itself went wrong (see src/proxy/errors.ts). */
function isBackendFailure(failure: string): boolean {
  return failure === 'dial' || failure === 'timeout' || failure === 'network' || failure === 'request' || failure === 'response';
}

const nsPerSecond = 1e9;

export class ProxyMetrics {
  private readonly o: ResolvedMetricsOptions;
  private readonly lookup: HistogramSeries;
  private readonly routeError: Counter;
  private readonly total: HistogramSeries;
  private readonly serveRoute: FastHistogram<'code' | 'method' | 'route'>;
  private readonly serveHost: FastHistogram<'code' | 'method' | 'host'>;
  private readonly backend: FastHistogram<'route' | 'host' | 'zone'>;
  private readonly backendCombined: HistogramSeries;
  private readonly backend5xx: HistogramSeries;
  private readonly backendError: Counter<'route'>;
  private readonly responseSize: FastHistogram<'host'>;
  /** The bounds every duration histogram here shares: one bucket search per duration. */
  private readonly durationBounds: Float64Array;
  private readonly series = new Map<string, RouteSeries>();
  private readonly backendHosts = new Map<string, HistogramSeries>();
  private readonly unmatched: RouteSeries;
  /** Route id → escaped host label, from the live tables. */
  private hosts: ReadonlyMap<string, string> = new Map();

  constructor(registry: Registry, o: ResolvedMetricsOptions) {
    this.o = o;
    const registers = [registry];
    const buckets = o.buckets;
    const hist = <T extends string>(name: string, help: string, labelNames: readonly T[] = []): FastHistogram<T> =>
      new FastHistogram<T>({ name, help, labelNames, registers, ...(buckets === undefined ? {} : { buckets }) });
    this.lookup = hist('skipper_route_lookup_duration_seconds', 'Time from arrival until the route lookup is done.').series();
    this.routeError = new Counter({ name: 'skipper_route_error_total', help: 'Requests no route matched.', registers });
    this.total = hist('skipper_proxy_total_duration_seconds', 'Time from arrival until the response is served.').series();
    this.serveRoute = hist('skipper_serve_route_duration_seconds', 'Serve duration by route.', ['code', 'method', 'route']);
    this.serveHost = hist('skipper_serve_host_duration_seconds', 'Serve duration by the host of the matched route.', ['code', 'method', 'host']);
    this.backend = hist('skipper_backend_duration_seconds', 'Backend call duration by route or backend host.', ['route', 'host', 'zone']);
    this.backendCombined = hist('skipper_backend_combined_duration_seconds', 'Backend call duration of all routes.').series();
    this.backend5xx = hist('skipper_backend_5xx_duration_seconds', 'Duration of backend calls that failed or answered 5xx.').series();
    this.backendError = new Counter({ name: 'skipper_backend_error_total', help: 'Backend calls that failed.', labelNames: ['route'], registers });
    this.responseSize = new FastHistogram({
      name: 'skipper_response_size_bytes',
      help: 'Body bytes sent to the client, by the host of the matched route.',
      labelNames: ['host'],
      buckets: o.sizeBuckets,
      registers,
    });
    this.unmatched = new RouteSeries('', unknownHost);
    this.durationBounds = this.serveRoute.bounds;
  }

  /** Route id → host (as written in the route, unescaped); replaces the previous map. */
  setRouteHosts(hosts: ReadonlyMap<string, string>): void {
    const escaped = new Map<string, string>();
    for (const [id, host] of hosts) escaped.set(id, escapeHost(host));
    this.hosts = escaped;
    this.series.clear();
    this.backendHosts.clear();
  }

  /** hot path: one clock read and one observation. */
  started(record: ExchangeRecord): void {
    // no lookup ran: a target that cannot be routed, a pipelined request that never had its turn
    if (record.failure === 'bad_target' || (record.failure === 'client_gone' && record.routeId === '')) return;
    this.lookup.observe(Number(monotonicNs() - record.startNs) / nsPerSecond);
    if (record.routeId === '') this.routeError.inc();
  }

  /** hot path: cached series only; a series is created once per label set. */
  finished(record: ExchangeRecord): void {
    const seconds = Number(record.endNs - record.startNs) / nsPerSecond;
    const slot = bucketSlot(this.durationBounds, seconds);
    this.total.observeAt(slot, seconds);
    const s = this.seriesOf(record.routeId);
    const method = record.view.method;
    // GET spares the call: callgrind found methodIndex left in baseline code here (~250 instructions)
    const key = record.status * methodSlots + (method === 'GET' ? 0 : methodIndex(method));
    if (key !== s.lastKey) this.selectCode(s, key);
    s.lastServeRoute?.observeAt(slot, seconds);
    s.lastServeHost?.observeAt(slot, seconds);
    (s.size ??= this.responseSize.series(s.host)).observe(record.bytes);
    if (record.upstreamStartNs !== 0n) this.backendFinished(record, s);
  }

  /** The serve-duration series of a (status, method) key, made the route's current ones. */
  private selectCode(s: RouteSeries, key: number): void {
    const status = String(Math.floor(key / methodSlots));
    const method = methodLabel(key % methodSlots);
    s.lastKey = key;
    s.lastServeRoute = this.o.serveRoute ? cached(s.serveRoute, key, () => this.serveRoute.series(status, method, s.route)) : null;
    s.lastServeHost = this.o.serveHost ? cached(s.serveHost, key, () => this.serveHost.series(status, method, s.host)) : null;
  }

  private backendFinished(record: ExchangeRecord, s: RouteSeries): void {
    const end = record.upstreamEndNs === 0n ? record.endNs : record.upstreamEndNs;
    const seconds = Number(end - record.upstreamStartNs) / nsPerSecond;
    const slot = bucketSlot(this.durationBounds, seconds);
    this.backendCombined.observeAt(slot, seconds);
    if (this.o.routeBackend) (s.backend ??= this.backend.series(s.route, '', '')).observeAt(slot, seconds);
    const endpoint = record.endpoint;
    if (this.o.backendHost && endpoint !== null) {
      let c = this.backendHosts.get(endpoint.authority);
      if (c === undefined) {
        c = this.backend.series('', escapeHost(endpoint.authority), '');
        this.backendHosts.set(endpoint.authority, c);
      }
      c.observeAt(slot, seconds);
    }
    const failed = isBackendFailure(record.failure);
    if (failed) (s.backendError ??= this.backendError.labels(s.route)).inc();
    if (failed || record.status >= 500) this.backend5xx.observeAt(slot, seconds);
  }

  private seriesOf(routeId: string): RouteSeries {
    if (routeId === '') return this.unmatched;
    let s = this.series.get(routeId);
    if (s === undefined) {
      s = new RouteSeries(routeId, this.hosts.get(routeId) ?? '');
      this.series.set(routeId, s);
    }
    return s;
  }
}
