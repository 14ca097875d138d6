/**
 * Instruments for the Kubernetes route source: whether each kind is synced, when the API server
 * last answered about it, watch restarts, watch events by type, relists, API errors, and how long
 * turning the objects into a table takes. The source can push (`watchRestart('ingresses')`), or hand over its stats function
 * once (`follow(() => clusterWatch.stats())`) and be read at every scrape.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What `follow` reads: the shape of ClusterWatch.stats(). */
export interface WatchStatsSource {
  readonly reflectors: readonly {
    /** Kind, e.g. `ingresses`. */
    readonly resource: string;
    /** Unique per reflector (a kind may be watched per namespace). */
    readonly name: string;
    readonly synced: boolean;
    readonly watchRestarts: number;
    readonly relists: number;
    readonly errors: number;
    readonly events: Readonly<Record<string, number>>;
    /** When the API server last answered a list or watch (ms since epoch); unset before. */
    readonly lastSyncAt?: number | undefined;
  }[];
}

export interface KubernetesMetrics {
  /** A kind finished its first list (true), or is known to be out of date (false). */
  synced(kind: string, synced: boolean): void;
  watchRestart(kind: string): void;
  /** One watch event: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR. */
  event(kind: string, type: string): void;
  relist(kind: string): void;
  apiError(kind: string): void;
  /** Seconds spent translating the objects and building the route table. */
  rebuild(seconds: number): void;
  /** Reads cumulative counts from `stats` at every scrape. */
  follow(stats: () => WatchStatsSource): void;
}

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export function createKubernetesMetrics(registry: Registry, buckets: readonly number[] | undefined): KubernetesMetrics {
  const registers = [registry];
  const followed: (() => WatchStatsSource)[] = [];
  /** Last cumulative value seen per reflector and counter, so that follow adds only the increase. */
  const seen = new Map<string, number>();

  const syncedGauge = new Gauge({
    name: 'skiff_kubernetes_synced',
    help: '1 when every collection of the kind is listed and watched, 0 otherwise.',
    labelNames: ['kind'],
    registers,
    collect() {
      const byKind = new Map<string, boolean>();
      for (const stats of followed) {
        for (const r of stats().reflectors) byKind.set(r.resource, (byKind.get(r.resource) ?? true) && r.synced);
      }
      for (const [kind, ok] of byKind) this.set({ kind }, ok ? 1 : 0);
    },
  });
  // A quiet cluster changes no table for hours: the table's age says nothing about a source that
  // lost the API server, this does. The oldest reflector of a kind speaks for the kind.
  new Gauge({
    name: 'skiff_kubernetes_last_sync_timestamp_seconds',
    help: 'Unix time the API server last answered a list or watch of the kind (an event, a bookmark, a watch accepted or ended cleanly).',
    labelNames: ['kind'],
    registers,
    aggregator: 'max',
    collect() {
      const oldest = new Map<string, number | null>();
      for (const stats of followed) {
        for (const r of stats().reflectors) {
          const at = r.lastSyncAt ?? null;
          const prev = oldest.get(r.resource);
          oldest.set(r.resource, prev === undefined ? at : prev === null || at === null ? null : Math.min(prev, at));
        }
      }
      for (const [kind, at] of oldest) if (at !== null) this.set({ kind }, at / 1000);
    },
  });
  const restarts = new Counter({ name: 'skiff_kubernetes_watch_restarts_total', help: 'Watch requests after the first, by kind.', labelNames: ['kind'], registers, collect: () => pull() });
  const events = new Counter({ name: 'skiff_kubernetes_events_total', help: 'Watch events, by kind and type.', labelNames: ['kind', 'type'], registers, collect: () => pull() });
  const relists = new Counter({ name: 'skiff_kubernetes_relists_total', help: 'Full lists after the first (410 Gone), by kind.', labelNames: ['kind'], registers, collect: () => pull() });
  const errors = new Counter({ name: 'skiff_kubernetes_api_errors_total', help: 'Failed list or watch requests and dropped streams, by kind.', labelNames: ['kind'], registers, collect: () => pull() });
  const rebuilds = new Histogram({
    name: 'skiff_kubernetes_rebuild_duration_seconds',
    help: 'Time to translate the cluster objects and build the route table.',
    registers,
    ...(buckets === undefined ? {} : { buckets: [...buckets] }),
  });

  // A series exists from 0 on, from the first scrape that knows the kind: a counter that first
  // appears at 1 is an increase rate() and increase() never see, and an alert on the first
  // watch error would not fire.
  const add = (counter: Counter<string>, labels: Record<string, string>, key: string, value: number): void => {
    const last = seen.get(key);
    seen.set(key, value);
    if (last === undefined || value > last) counter.inc(labels, value - (last ?? 0));
  };

  // Every counter brings all of them up to date before it is rendered; a second call in the same
  // scrape finds no increase, so the order prom-client collects in does not matter.
  function pull(): void {
    for (const stats of followed) {
      for (const r of stats().reflectors) {
        const kind = { kind: r.resource };
        add(restarts, kind, `${r.name}\0restarts`, r.watchRestarts);
        add(relists, kind, `${r.name}\0relists`, r.relists);
        add(errors, kind, `${r.name}\0errors`, r.errors);
        for (const [type, n] of Object.entries(r.events)) {
          if (eventTypes.has(type)) add(events, { kind: r.resource, type }, `${r.name}\0event\0${type}`, n);
        }
      }
    }
  }

  return {
    synced: (kind, ok) => syncedGauge.set({ kind }, ok ? 1 : 0),
    watchRestart: (kind) => restarts.inc({ kind }),
    event: (kind, type) => events.inc({ kind, type: eventTypes.has(type) ? type : 'OTHER' }),
    relist: (kind) => relists.inc({ kind }),
    apiError: (kind) => errors.inc({ kind }),
    rebuild: (seconds) => rebuilds.observe(seconds),
    follow: (stats) => void followed.push(stats),
  };
}
