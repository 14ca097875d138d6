/**
 * Keeps an in-memory copy of one collection of Kubernetes objects (one kind, in all
 * namespaces or in one) by list+watch, the way client-go's reflector does: list with paging,
 * watch from the list's resourceVersion with bookmarks and a randomized server timeout,
 * relist on 410 Gone, and on any other failure retry from the last resourceVersion after a
 * jittered, growing delay. The store is never emptied by a failure: the last good copy stays.
 */

import { isGone, KubeApiError } from '../client/api-error.js';
import type { KubeApiClient } from '../client/api-client.js';
import { describeError, stderrKubeLogger } from '../client/logger.js';
import type { KubeLogger } from '../client/logger.js';
import { ObjectStore } from '../cache.js';
import type { KubeObject } from '../cache.js';
import { objectKey } from '../cache.js';
import { Backoff, pause } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { watchEvents } from './event-stream.js';
import type { WatchEventType } from './event-stream.js';

export interface ReflectorTuning {
  /** Objects per list page (limit/continue). */
  readonly pageSize?: number;
  /** The server ends each watch after a random number of seconds in this range. */
  readonly watchTimeoutSeconds?: { readonly min: number; readonly max: number };
  /** Drop a watch that sends nothing for this long; default: the watch timeout plus 30 s. */
  readonly inactivityTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** A watch that stays open this long resets the backoff. */
  readonly healthyAfterMs?: number;
  /** A watch that ends cleanly sooner than this without any event counts as a failure. */
  readonly quickCloseMs?: number;
  /** Never start two watches closer together than this. */
  readonly minWatchIntervalMs?: number;
}

export interface ReflectorOptions extends ReflectorTuning {
  readonly client: KubeApiClient;
  /** Collection path, e.g. /apis/networking.k8s.io/v1/ingresses or .../namespaces/ns/ingresses. */
  readonly path: string;
  /** Name in logs and stats; defaults to the path. */
  readonly name?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly logger?: KubeLogger;
}

export type ReflectorChange =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly key: string }
  /** A relist found a different set of objects than the store held. */
  | { readonly type: 'RELIST' };

export interface ReflectorStats {
  readonly name: string;
  readonly synced: boolean;
  readonly objects: number;
  readonly resourceVersion: string | undefined;
  /** Completed lists; the first one and every relist. */
  readonly lists: number;
  /** Lists after the first (each after a 410 Gone). */
  readonly relists: number;
  /** List page requests sent. */
  readonly listRequests: number;
  /** Watch requests sent. */
  readonly watches: number;
  /** Watch requests after the first. */
  readonly watchRestarts: number;
  readonly events: Readonly<Record<WatchEventType, number>>;
  /** Failed list or watch requests and dropped streams, 410 included. */
  readonly errors: number;
  /** 410 Gone answers (HTTP status or ERROR event). */
  readonly gone: number;
  /** Failures since the last healthy watch. */
  readonly consecutiveFailures: number;
  /** Time (ms since epoch) of the last completed list. */
  readonly lastListAt: number | undefined;
  /**
   * Time (ms since epoch) the API server last answered: a completed list, a watch it accepted,
   * a watch event (bookmarks too), a watch it ended cleanly. Metrics tell a stale source by it.
   */
  readonly lastSyncAt: number | undefined;
}

interface ListBody {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: readonly KubeObject[] | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An object the cache can key: metadata with a string name and, when present, a string
 * namespace. A namespace of another type (a number, an object) would be keyed as text such as
 * `[object Object]/web` and could shadow or be confused with a real object.
 */
function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const meta = (value as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) return false;
  const { name, namespace } = meta as { name?: unknown; namespace?: unknown };
  return typeof name === 'string' && (namespace === undefined || typeof namespace === 'string');
}

function resourceVersionOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const rv = (value as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return typeof rv === 'string' && rv ? rv : undefined;
}

export class Reflector<T extends KubeObject = KubeObject> {
  readonly name: string;
  readonly store = new ObjectStore<T>();
  private readonly options: ReflectorOptions;
  private readonly logger: KubeLogger;
  private readonly backoff: Backoff;
  private readonly changeListeners = new Set<(change: ReflectorChange) => void>();
  private readonly syncedListeners = new Set<() => void>();
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private resourceVersion: string | undefined;
  private lastWatchStart = 0;
  private readonly counters: Mutable<Omit<ReflectorStats, 'name' | 'objects' | 'resourceVersion' | 'consecutiveFailures' | 'events'>> & {
    events: Record<WatchEventType, number>;
  } = {
    synced: false,
    lists: 0,
    relists: 0,
    listRequests: 0,
    watches: 0,
    watchRestarts: 0,
    events: { ADDED: 0, MODIFIED: 0, DELETED: 0, BOOKMARK: 0, ERROR: 0 },
    errors: 0,
    gone: 0,
    lastListAt: undefined,
    lastSyncAt: undefined,
  };

  constructor(options: ReflectorOptions) {
    this.options = options;
    this.name = options.name ?? options.path;
    this.logger = options.logger ?? stderrKubeLogger;
    this.backoff = new Backoff(options.backoff);
  }

  get synced(): boolean {
    return this.counters.synced;
  }

  stats(): ReflectorStats {
    return {
      ...this.counters,
      events: { ...this.counters.events },
      name: this.name,
      objects: this.store.size,
      resourceVersion: this.resourceVersion,
      consecutiveFailures: this.backoff.failures,
    };
  }

  onChange(listener: (change: ReflectorChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called once, after the first complete list. */
  onSynced(listener: () => void): () => void {
    this.syncedListeners.add(listener);
    return () => this.syncedListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
  }

  /** Ends the loop and any request in flight; resolves once the loop has stopped. */
  async stop(): Promise<void> {
    this.abort.abort();
    const running = this.running;
    this.running = undefined;
    await running;
  }

  private emitChange(change: ReflectorChange): void {
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error('change listener failed', { reflector: this.name, error: describeError(err) });
      }
    }
  }

  private emitSynced(): void {
    for (const listener of this.syncedListeners) {
      try {
        listener();
      } catch (err) {
        this.logger.error('synced listener failed', { reflector: this.name, error: describeError(err) });
      }
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    // Consecutive 410s without a watch that made progress: the first relists at once, later
    // ones wait, so a server that keeps answering 410 cannot drive a relist loop.
    let goneStreak = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list(signal);
          needList = false;
        }
        const result = await this.watch(signal);
        if (result.events === 0 && result.durationMs < (this.options.quickCloseMs ?? 1000)) {
          const delay = this.backoff.next();
          this.logger.warn('watch closed at once, retrying', { reflector: this.name, delayMs: delay });
          await pause(delay, signal);
        } else {
          goneStreak = 0;
        }
      } catch (err) {
        if (signal.aborted) break;
        this.counters.errors++;
        if (isGone(err)) {
          this.counters.gone++;
          needList = true;
          goneStreak++;
          this.logger.info('resource version expired, relisting', { reflector: this.name });
          if (goneStreak > 1) await pause(this.backoff.next(), signal);
          continue;
        }
        const delay = this.backoff.next();
        this.logger.warn(needList ? 'list failed, retrying' : 'watch failed, retrying', {
          reflector: this.name,
          error: describeError(err),
          failures: this.backoff.failures,
          delayMs: delay,
        });
        await pause(delay, signal);
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    const { client, path } = this.options;
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      this.counters.listRequests++;
      const page = await client.getJson<ListBody>(
        path,
        {
          limit: this.options.pageSize ?? 500,
          continue: continueToken,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        signal,
      );
      // List items come without kind and apiVersion; watch events carry them. Fill them in
      // so consumers see the same shape from both.
      const itemKind = page.kind?.endsWith('List') ? page.kind.slice(0, -4) : undefined;
      for (const item of page.items ?? []) {
        if (!isKubeObject(item)) continue;
        items.push((item.kind || !itemKind ? item : { apiVersion: page.apiVersion, kind: itemKind, ...item }) as T);
      }
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion || undefined;
    } while (continueToken);
    if (!resourceVersion) throw new KubeApiError(0, `list ${path} returned no resourceVersion`);

    const diff = this.store.replaceAll(items);
    this.resourceVersion = resourceVersion;
    this.counters.lists++;
    if (this.counters.lists > 1) this.counters.relists++;
    this.counters.lastListAt = Date.now();
    this.counters.lastSyncAt = this.counters.lastListAt;
    if (!this.counters.synced) {
      this.counters.synced = true;
      this.logger.info('synced', { reflector: this.name, objects: items.length });
      this.emitSynced();
    } else if (diff.added + diff.modified + diff.deleted > 0) {
      this.emitChange({ type: 'RELIST' });
    }
  }

  private randomWatchTimeout(): number {
    const range = this.options.watchTimeoutSeconds ?? { min: 300, max: 600 };
    const min = Math.max(1, Math.floor(range.min));
    const max = Math.max(min, Math.floor(range.max));
    return min + Math.floor(Math.random() * (max - min + 1));
  }

  /** One watch request, read to its end. Resolves on a clean end; throws on anything else. */
  private async watch(signal: AbortSignal): Promise<{ durationMs: number; events: number }> {
    const minInterval = this.options.minWatchIntervalMs ?? 250;
    const sinceLast = Date.now() - this.lastWatchStart;
    if (sinceLast < minInterval) await pause(minInterval - sinceLast, signal);
    if (signal.aborted) return { durationMs: 0, events: 0 };

    const timeoutSeconds = this.randomWatchTimeout();
    this.lastWatchStart = Date.now();
    this.counters.watches++;
    if (this.counters.watches > 1) this.counters.watchRestarts++;
    const body = await this.options.client.openWatch(
      this.options.path,
      {
        watch: 1,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
      },
      { signal, inactivityTimeoutMs: this.options.inactivityTimeoutMs ?? timeoutSeconds * 1000 + 30_000 },
    );
    const opened = Date.now();
    this.counters.lastSyncAt = opened;
    let events = 0;
    try {
      for await (const event of watchEvents(body)) {
        events++;
        this.counters.events[event.type]++;
        if (event.type !== 'ERROR') this.counters.lastSyncAt = Date.now();
        this.apply(event.type, event.object);
      }
      this.counters.lastSyncAt = Date.now();
    } finally {
      if (Date.now() - opened >= (this.options.healthyAfterMs ?? 10_000)) this.backoff.reset();
    }
    return { durationMs: Date.now() - opened, events };
  }

  private apply(type: WatchEventType, object: unknown): void {
    if (type === 'ERROR') throw KubeApiError.fromStatus(500, object, `watch ${this.options.path}`);
    const rv = resourceVersionOf(object);
    if (type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (!isKubeObject(object)) {
      this.logger.warn('watch event without object metadata skipped', { reflector: this.name, type });
      return;
    }
    if (rv) this.resourceVersion = rv;
    const changed = type === 'DELETED' ? this.store.remove(object) : this.store.upsert(object as T);
    if (changed) this.emitChange({ type, key: objectKey(object) });
  }
}
