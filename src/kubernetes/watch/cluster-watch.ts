/**
 * Watches everything the router needs from the cluster (Ingresses, Services,
 * EndpointSlices, IngressClasses), in all namespaces or a chosen few, and tells its
 * subscribers when the picture changed: once when all kinds have been listed, then after
 * each burst of changes, debounced. Subscribers read snapshot(); through an API outage the
 * snapshot keeps the last good state and readiness stays true.
 */

import type { KubeApiClient } from '../client/api-client.js';
import { describeError, stderrKubeLogger } from '../client/logger.js';
import type { KubeLogger } from '../client/logger.js';
import type { KubeObject } from '../cache.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../objects.js';
import { Debouncer } from './debounce.js';
import { Reflector } from './reflector.js';
import type { ReflectorStats, ReflectorTuning } from './reflector.js';
import { collectionPath, RESOURCE_NAMES, RESOURCES } from './resources.js';
import type { ResourceName } from './resources.js';

/** The object type of each watched kind. */
export type ClusterKinds = { readonly [K in ResourceName]: KubeObject };

/** The translation's types, which the objects from the API are read as by default. */
export interface IngressKinds extends ClusterKinds {
  readonly ingresses: Ingress;
  readonly services: Service;
  readonly endpointSlices: EndpointSlice;
  readonly ingressClasses: IngressClass;
}

export type ClusterSnapshot<K extends ClusterKinds = IngressKinds> = { readonly [P in ResourceName]: readonly K[P][] };

export interface ClusterWatchOptions {
  readonly client: KubeApiClient;
  /** Namespaces to watch; all when empty or absent. IngressClasses are always cluster-wide. */
  readonly namespaces?: readonly string[];
  /** Quiet time after the last change before subscribers are called. */
  readonly debounceMs?: number;
  /** Longest a change waits for subscribers while changes keep coming. */
  readonly maxWaitMs?: number;
  readonly tuning?: ReflectorTuning;
  readonly logger?: KubeLogger;
}

export interface ClusterWatchStats {
  readonly ready: boolean;
  /** Times subscribers were called. */
  readonly notifications: number;
  readonly reflectors: readonly (ReflectorStats & { readonly resource: ResourceName })[];
}

export type ClusterChangeListener<K extends ClusterKinds = IngressKinds> = (snapshot: ClusterSnapshot<K>) => void | Promise<void>;

export class ClusterWatch<K extends ClusterKinds = IngressKinds> {
  private readonly reflectors: { readonly resource: ResourceName; readonly reflector: Reflector }[] = [];
  private readonly listeners = new Set<ClusterChangeListener<K>>();
  private readonly readyWaiters = new Set<() => void>();
  private readonly debouncer: Debouncer;
  private readonly logger: KubeLogger;
  private isReady = false;
  private notifications = 0;

  constructor(options: ClusterWatchOptions) {
    this.logger = options.logger ?? stderrKubeLogger;
    const namespaces = options.namespaces?.filter((ns) => ns.length > 0) ?? [];
    for (const resource of RESOURCE_NAMES) {
      const type = RESOURCES[resource];
      const scopes: (string | undefined)[] = type.namespaced && namespaces.length > 0 ? [...new Set(namespaces)] : [undefined];
      for (const namespace of scopes) {
        const reflector = new Reflector({
          ...options.tuning,
          client: options.client,
          path: collectionPath(type, namespace),
          name: namespace ? `${resource}@${namespace}` : resource,
          logger: this.logger,
        });
        reflector.onSynced(() => this.reflectorSynced());
        reflector.onChange(() => {
          if (this.isReady) this.debouncer.trigger();
        });
        this.reflectors.push({ resource, reflector });
      }
    }
    this.debouncer = new Debouncer(() => this.notify(), {
      waitMs: options.debounceMs ?? 100,
      maxWaitMs: options.maxWaitMs ?? 500,
    });
  }

  /** True once every kind has been listed completely; stays true through later outages. */
  get ready(): boolean {
    return this.isReady;
  }

  start(): void {
    for (const { reflector } of this.reflectors) reflector.start();
  }

  async stop(): Promise<void> {
    this.debouncer.cancel();
    await Promise.all(this.reflectors.map(({ reflector }) => reflector.stop()));
  }

  /** Resolves once ready; rejects if the signal aborts first. */
  whenReady(signal?: AbortSignal): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = (): void => {
        this.readyWaiters.delete(done);
        reject(signal?.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      this.readyWaiters.add(done);
    });
  }

  /**
   * The current objects of every kind, each list sorted by namespace/name. The arrays are
   * shared with the caches and must not be changed.
   */
  snapshot(): ClusterSnapshot<K> {
    const out: Record<ResourceName, KubeObject[]> = { ingresses: [], services: [], endpointSlices: [], ingressClasses: [] };
    for (const { resource, reflector } of this.reflectors) {
      const values = reflector.store.values();
      out[resource] = out[resource].length === 0 ? (values as KubeObject[]) : out[resource].concat(values);
    }
    return out as unknown as ClusterSnapshot<K>;
  }

  /**
   * Calls the listener with a fresh snapshot when the watch becomes ready and after each
   * debounced burst of changes. Returns a function that unsubscribes.
   */
  onChange(listener: ClusterChangeListener<K>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ClusterWatchStats {
    return {
      ready: this.isReady,
      notifications: this.notifications,
      reflectors: this.reflectors.map(({ resource, reflector }) => ({ ...reflector.stats(), resource })),
    };
  }

  private reflectorSynced(): void {
    if (this.isReady || !this.reflectors.every(({ reflector }) => reflector.synced)) return;
    this.isReady = true;
    this.logger.info('all kinds synced');
    for (const waiter of this.readyWaiters) waiter();
    this.readyWaiters.clear();
    // The first table should not wait for the debounce.
    this.debouncer.cancel();
    this.notify();
  }

  private notify(): void {
    this.notifications++;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        const result = listener(snapshot);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch((err: unknown) => this.logger.error('change listener failed', { error: describeError(err) }));
        }
      } catch (err) {
        this.logger.error('change listener failed', { error: describeError(err) });
      }
    }
  }
}
