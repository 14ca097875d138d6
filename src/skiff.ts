/**
 * The composition root, usable as a library: registries (built-ins plus whatever the caller
 * adds), route sources, one route table per listener, the proxy listeners, the support
 * listener, and the shutdown sequence. `bin/skiff.js` is a thin command line over this.
 *
 *   const skiff = createSkiff({ listeners: [{ name: 'main', host: '127.0.0.1', port: 9090 }],
 *                               sources: [new RoutesFileSource(['routes.eskip'], log)],
 *                               filters: [myFilterSpec] });
 *   await skiff.start();
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Agent } from 'undici';
import type { FilterSpec, PredicateSpec } from './spec.js';
import type { RouteDefinition } from './eskip/definition.js';
import type { InvalidRoute } from './routing/route.js';
import type { RouteTable } from './routing/table.js';
import type { RouteSourceHandle, SourceUpdate } from './sources/source.js';
import type { ProxyObserver } from './proxy/observer.js';
import type { ClientIpPolicy } from './proxy/client-ip.js';
import type { ProxyRuntime } from './proxy/runtime.js';
import type { MetricsHandler } from './support/server.js';
import type { Logger } from './log.js';
import { Registry } from './registry.js';
import { setKeySetLogger } from '../filters/auth/key-set-log.js';
import { TableBuilder } from './routing/build.js';
import { Router } from './routing/router.js';
import { createUpstreamAgent } from './backend/upstream.js';
import { defaultProxyOptions, type ProxyOptions } from './proxy/options.js';
import { trustNoPeer } from './proxy/client-ip.js';
import { noopObserver } from './proxy/observer.js';
import { closeGracefully, createProxyServer, listen } from './proxy/listener.js';
import { createSupportServer } from './support/server.js';
import { createLogger } from './log.js';
import { createBuildDeps } from './build-deps.js';
import { ListenError } from './listen-error.js';

export interface ListenerConfig {
  /** Shown in /routes?listener= and logs, e.g. `external`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** What X-Forwarded-Proto says for clients of this listener (TLS ends at the load balancer). */
  readonly proto?: 'http' | 'https';
  /** Sources whose routes only this listener serves (e.g. the Ingresses of its classes). */
  readonly sources?: readonly RouteSourceHandle[];
}

export interface SkiffConfig {
  readonly listeners: readonly ListenerConfig[];
  /** null turns the support listener off. */
  readonly support?: { readonly host: string; readonly port: number } | null;
  /** Sources whose routes every listener serves (routes files). */
  readonly sources?: readonly RouteSourceHandle[];
  readonly predicates?: readonly PredicateSpec[];
  readonly filters?: readonly FilterSpec[];
  readonly proxy?: Partial<ProxyOptions>;
  readonly clientIp?: ClientIpPolicy;
  readonly observer?: ProxyObserver;
  readonly metrics?: MetricsHandler;
  readonly log?: Logger;
  /** After SIGTERM: keep serving this long (readiness already 503) before closing listeners. */
  readonly drainDelayMs?: number;
  /** After the drain delay: how long in-flight requests get before connections are cut. */
  readonly shutdownDeadlineMs?: number;
  /**
   * false: build tables and serve the support listener, but open no proxy listener. The primary
   * of a multi-process skiff runs this way and hands the definitions to its workers.
   */
  readonly serveTraffic?: boolean;
  /** Called with a listener's merged definitions before each rebuild (the primary forwards them). */
  readonly onDefinitions?: (listener: string, routes: readonly RouteDefinition[], invalid: readonly InvalidRoute[]) => void;
  /** Shutdown hooks: `onDrain` as draining starts, `afterDrainDelay` before the listeners close. */
  readonly onDrain?: () => void;
  readonly afterDrainDelay?: () => Promise<void>;
  /** An extra readiness condition for /readyz (e.g. workers listening): null when met, else why not. */
  readonly readyCheck?: () => string | null;
  /** Liveness for /healthz: null while live, else the fatal problem the process stops for. */
  readonly healthCheck?: () => string | null;
  /** Called after every table build with its duration in seconds. */
  readonly onRebuild?: (listener: string, seconds: number) => void;
  /** Called after every table swap, e.g. for metrics. */
  readonly onTable?: (listener: string, table: RouteTable, invalid: readonly InvalidRoute[]) => void;
}

export interface Skiff {
  start(): Promise<void>;
  /** Drain and stop: readiness 503, wait `drainDelayMs`, close listeners, wait for in-flight requests. */
  stop(opts?: { drainDelayMs?: number }): Promise<void>;
  readonly log: Logger;
  readonly draining: boolean;
  /** Bound addresses after start(), by listener name (port 0 resolved). */
  readonly addresses: ReadonlyMap<string, { host: string; port: number }>;
  readonly supportAddress: { host: string; port: number } | null;
  table(listener?: string): RouteTable;
  readonly predicates: Registry<PredicateSpec>;
  readonly filters: Registry<FilterSpec>;
}

interface ListenerState {
  readonly config: ListenerConfig;
  readonly builder: TableBuilder;
  readonly router: Router;
  readonly updates: Map<RouteSourceHandle, SourceUpdate>;
  invalid: readonly InvalidRoute[];
  server: http.Server | null;
}

export function createSkiff(config: SkiffConfig): Skiff {
  const log = config.log ?? createLogger('info');
  // the JWT filters' key sets log failed fetches; filters are built without a logger of their own
  setKeySetLogger(log);
  let draining = false;
  const compile = createBuildDeps({
    isDraining: () => draining,
    ...(config.predicates !== undefined ? { predicates: config.predicates } : {}),
    ...(config.filters !== undefined ? { filters: config.filters } : {}),
  });
  const { predicates, filters, endpoints } = compile;
  const options: ProxyOptions = { ...defaultProxyOptions, ...config.proxy };
  const agent: Agent = createUpstreamAgent(options);
  const shared = config.sources ?? [];
  let started = false;
  let supportServer: http.Server | null = null;
  let supportAddress: { host: string; port: number } | null = null;
  const addresses = new Map<string, { host: string; port: number }>();
  const tunnels = new Set<Duplex>();

  const listeners: ListenerState[] = config.listeners.map((c) => {
    const builder = new TableBuilder(compile);
    return { config: c, builder, router: new Router(builder.build([])), updates: new Map(), invalid: [], server: null };
  });

  const rebuild = (l: ListenerState): void => {
    const updates = [...l.updates.values()];
    // One source (the usual Kubernetes setup): its arrays as they are, no copy of every route.
    const defs: readonly RouteDefinition[] = updates.length === 1 ? updates[0]!.routes : ([] as RouteDefinition[]).concat(...updates.map((u) => u.routes));
    const sourceInvalid: readonly InvalidRoute[] = updates.length === 1 ? updates[0]!.invalid : ([] as InvalidRoute[]).concat(...updates.map((u) => u.invalid));
    config.onDefinitions?.(l.config.name, defs, sourceInvalid);
    const t0 = performance.now();
    // Only the definitions that changed since the last table are compiled (see TableBuilder).
    const table = l.builder.build(defs);
    endpoints.rotate();
    l.invalid = table.invalid.length === 0 ? sourceInvalid : [...sourceInvalid, ...table.invalid];
    l.router.swap(table);
    for (const r of table.invalid) log.warn('route set aside', { listener: l.config.name, route: r.id, code: r.code, reason: r.reason });
    log.info('route table updated', {
      listener: l.config.name,
      routes: table.routes.length,
      invalid: l.invalid.length,
      compiled: l.builder.stats.compiled,
      ms: Math.round((performance.now() - t0) * 10) / 10,
    });
    config.onRebuild?.(l.config.name, (performance.now() - t0) / 1000);
    config.onTable?.(l.config.name, table, l.invalid);
  };

  const ready = new Set<RouteSourceHandle>();
  const allSources = new Set<RouteSourceHandle>([...shared, ...listeners.flatMap((l) => l.config.sources ?? [])]);

  const skiff: Skiff = {
    log,
    predicates,
    filters,
    get draining() {
      return draining;
    },
    addresses,
    get supportAddress() {
      return supportAddress;
    },
    table(name?: string): RouteTable {
      const l = name === undefined ? listeners[0] : listeners.find((x) => x.config.name === name);
      if (l === undefined) throw new Error(`no listener named ${name}`);
      return l.router.current;
    },

    async start(): Promise<void> {
      if (started) return;
      started = true;
      if (config.support !== null) {
        const s = config.support ?? { host: '127.0.0.1', port: 9911 };
        supportServer = createSupportServer(
          {
            notReady: () => ([...allSources].every((src) => ready.has(src)) ? (config.readyCheck?.() ?? null) : 'no route table yet'),
            unhealthy: () => config.healthCheck?.() ?? null,
            draining: () => draining,
            tables: () => new Map(listeners.map((l) => [l.config.name, l.router.current])),
            invalid: (name) => listeners.find((l) => l.config.name === name)?.invalid ?? [],
          },
          config.metrics,
        );
        supportAddress = await listen(supportServer, s.host, s.port).catch((err: unknown) => {
          throw new ListenError(null, s.host, s.port, err);
        });
      }
      for (const src of allSources) {
        const owners = listeners.filter((l) => shared.includes(src) || (l.config.sources ?? []).includes(src));
        await src.start((update) => {
          for (const l of owners) {
            l.updates.set(src, update);
            rebuild(l);
          }
          ready.add(src);
        });
      }
      for (const l of listeners) {
        if (config.serveTraffic === false) break;
        const rt: ProxyRuntime = {
          router: l.router,
          options,
          agent,
          observer: config.observer ?? noopObserver,
          clientIp: config.clientIp ?? trustNoPeer,
          log,
          tunnels,
          draining: () => draining,
        };
        l.server = createProxyServer(rt, { proto: l.config.proto ?? 'http' });
        const bound = await listen(l.server, l.config.host, l.config.port).catch((err: unknown) => {
          throw new ListenError(l.config.name, l.config.host, l.config.port, err);
        });
        addresses.set(l.config.name, bound);
        log.info('listening', { listener: l.config.name, address: `${bound.host}:${bound.port}` });
      }
      if (supportAddress !== null) log.info('support listener', { address: `${supportAddress.host}:${supportAddress.port}` });
    },

    async stop(opts?: { drainDelayMs?: number }): Promise<void> {
      if (draining) return;
      draining = true;
      const delay = opts?.drainDelayMs ?? config.drainDelayMs ?? 0;
      log.info('draining', { delayMs: delay });
      config.onDrain?.();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      await config.afterDrainDelay?.();
      for (const src of allSources) await src.stop();
      const deadline = config.shutdownDeadlineMs ?? 30_000;
      await Promise.all(listeners.map((l) => (l.server === null ? undefined : closeGracefully(l.server, deadline, tunnels))));
      for (const l of listeners) l.router.close();
      await agent.close().catch(() => agent.destroy());
      if (supportServer !== null) await closeGracefully(supportServer, 1000);
      log.info('stopped');
    },
  };
  return skiff;
}
