/**
 * Ingress routes for the listeners: one snapshot provider (the API or an Ingress directory)
 * shared by every listener, and one route source per listener that translates each snapshot
 * with that listener's ingress classes only, so a route of one class never reaches another
 * class's listener. After each change the served Ingresses of all listeners get the published
 * status address, when a status writer is given: the addresses of the listener(s) serving each
 * Ingress, when listeners have their own.
 */
import { ErrorCode } from '../errors.js';
import type { RouteDefinition } from '../eskip/definition.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import type { KubeObject } from '../kubernetes/cache.js';
import type { SnapshotProvider } from '../kubernetes/source.js';
import { ClusterTranslator } from '../kubernetes/translate/index.js';
import type { ClusterSnapshot, IngressRef, SkippedObject, TranslateOptions } from '../kubernetes/translate/index.js';
import { sameDefinitions } from '../eskip/equal.js';
import type { InvalidRoute } from '../routing/route.js';
import type { RouteSourceHandle, SourceUpdate } from './source.js';

/** What status publishing needs: IngressStatusWriter fits. */
export interface IngressStatusPublisher {
  /** Without `addressesOf`, every Ingress gets the publisher's own addresses. */
  update(ingresses: readonly KubeObject[], addressesOf?: (ingress: KubeObject) => readonly string[]): Promise<unknown>;
}

export interface ListenerSourceOptions {
  /**
   * The load balancer addresses written to the status of this listener's Ingresses. Give them to
   * every listener or to none: without any, every Ingress gets the status writer's own addresses;
   * with some, a listener without them writes nothing.
   */
  readonly statusAddresses?: readonly string[];
}

export interface IngressRoutesOptions {
  readonly log?: Logger;
  /** Translation settings shared by all listeners; each listener's classes replace `ingressClasses`. */
  readonly translate?: Omit<TranslateOptions, 'ingressClasses'>;
  /** Writes the status address of served Ingresses (only meaningful with the API as provider). */
  readonly status?: IngressStatusPublisher;
}

export class IngressRoutes {
  readonly provider: SnapshotProvider;
  private readonly log: Logger;
  private readonly translateOptions: Omit<TranslateOptions, 'ingressClasses'>;
  private readonly status: IngressStatusPublisher | undefined;
  private readonly created = new Set<ListenerIngressSource>();
  private readonly attached = new Set<ListenerIngressSource>();
  private readonly stoppedHandles = new Set<ListenerIngressSource>();
  private started: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private statusRunning = false;
  private statusAgain = false;

  constructor(provider: SnapshotProvider, options: IngressRoutesOptions = {}) {
    this.provider = provider;
    this.log = options.log ?? silentLogger;
    this.translateOptions = options.translate ?? {};
    this.status = options.status;
  }

  /** The route source of one listener, serving the Ingresses of the given classes. */
  sourceFor(listener: string, classes: readonly string[], options: ListenerSourceOptions = {}): RouteSourceHandle {
    const handle = new ListenerIngressSource(this, listener, [...classes], this.log, options.statusAddresses);
    this.created.add(handle);
    return handle;
  }

  /** Starts the shared provider once; resolves after its first complete snapshot. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.unsubscribe = this.provider.onChange((snapshot) => this.changed(snapshot));
      await this.provider.start();
    })();
    return this.started;
  }

  /** Stops the provider; listener sources stop getting updates. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.unsubscribe?.();
      this.attached.clear();
      await this.provider.stop();
    })();
    return this.stopping;
  }

  /** @internal A listener source that is starting: it gets the current set now and every later one. */
  attach(handle: ListenerIngressSource): void {
    if (this.stopping !== undefined) return;
    this.attached.add(handle);
    handle.refresh(this.provider.snapshot(), this.problems());
    this.publishStatus();
  }

  /** @internal The provider stops once every listener source has stopped. */
  async detach(handle: ListenerIngressSource): Promise<void> {
    this.attached.delete(handle);
    this.stoppedHandles.add(handle);
    if ([...this.created].every((h) => this.stoppedHandles.has(h))) await this.stop();
  }

  private problems(): readonly InvalidRoute[] {
    try {
      return this.provider.problems?.() ?? [];
    } catch {
      return [];
    }
  }

  /** @internal The translator of one listener's view of the snapshots. */
  translatorFor(classes: readonly string[]): ClusterTranslator {
    return new ClusterTranslator({ ...this.translateOptions, ingressClasses: classes });
  }

  private changed(snapshot: ClusterSnapshot): void {
    if (this.stopping !== undefined) return;
    const problems = this.problems();
    for (const handle of this.attached) handle.refresh(snapshot, problems);
    this.publishStatus();
  }

  /**
   * Sends the union of every listener's served Ingresses, as cached, to the status writer, each
   * with the addresses of the listeners serving it (in the order the listeners were created). While
   * a pass is running, later calls fold into one more pass over the newest state, so slow writes
   * never pile up passes over stale lists.
   */
  private publishStatus(): void {
    const status = this.status;
    if (status === undefined || this.attached.size === 0) return;
    if (this.statusRunning) {
      this.statusAgain = true;
      return;
    }
    this.statusRunning = true;
    // Creation order, not attach order: listeners start concurrently, the status must not depend on it.
    const handles = [...this.created].filter((h) => this.attached.has(h));
    const own = [...this.created].some((h) => h.statusAddresses !== undefined);
    const wanted = new Map<string, string[]>();
    for (const handle of handles) {
      for (const ref of handle.served) {
        const key = `${ref.namespace}/${ref.name}`;
        let addresses = wanted.get(key);
        if (addresses === undefined) wanted.set(key, (addresses = []));
        for (const a of handle.statusAddresses ?? []) if (!addresses.includes(a)) addresses.push(a);
      }
    }
    const keyOf = (i: KubeObject): string => `${i.metadata.namespace ?? 'default'}/${i.metadata.name}`;
    const ingresses = this.provider.snapshot().ingresses.filter((i) => wanted.has(keyOf(i)));
    (own ? status.update(ingresses, (i) => wanted.get(keyOf(i)) ?? []) : status.update(ingresses))
      .catch((err: unknown) => this.log.error('ingress status update failed', { error: String(err) }))
      .finally(() => {
        this.statusRunning = false;
        if (this.statusAgain && this.stopping === undefined) {
          this.statusAgain = false;
          this.publishStatus();
        }
      });
  }
}

class ListenerIngressSource implements RouteSourceHandle {
  readonly name: string;
  served: readonly IngressRef[] = [];
  private onUpdate: ((update: SourceUpdate) => void) | null = null;
  private routes: readonly RouteDefinition[] = [];
  /** What the last update said, to skip one that would say the same. */
  private sent: SourceUpdate | undefined;
  private readonly translator: ClusterTranslator;

  constructor(
    private readonly owner: IngressRoutes,
    readonly listener: string,
    classes: readonly string[],
    private readonly log: Logger,
    readonly statusAddresses: readonly string[] | undefined,
  ) {
    this.name = `${owner.provider.name}:${listener}`;
    this.translator = owner.translatorFor(classes);
  }

  async start(onUpdate: (update: SourceUpdate) => void): Promise<void> {
    this.onUpdate = onUpdate;
    await this.owner.start();
    this.owner.attach(this);
  }

  stop(): Promise<void> {
    this.onUpdate = null;
    return this.owner.detach(this);
  }

  /**
   * Translates the snapshot for this listener and hands the whole set on when it changed. Only
   * the Ingresses whose objects or Services changed are translated again, and those whose
   * Services changed only their endpoints just get new backends (see ClusterTranslator).
   */
  refresh(snapshot: ClusterSnapshot, problems: readonly InvalidRoute[]): void {
    if (this.onUpdate === null) return;
    const invalid: InvalidRoute[] = [...problems];
    try {
      const t0 = performance.now();
      const result = this.translator.translate(snapshot);
      this.routes = result.routes;
      this.served = result.served;
      for (const s of result.skipped) invalid.push(invalidFrom(s));
      this.log.debug('ingresses translated', {
        listener: this.listener,
        served: result.served.length,
        routes: result.routes.length,
        skipped: result.skipped.length,
        translated: this.translator.stats.translated,
        rebound: this.translator.stats.rebound,
        ms: Math.round((performance.now() - t0) * 10) / 10,
      });
    } catch (err) {
      // A translation bug must not take the listener down: keep serving the last good routes.
      const reason = `translation failed, the last good routes stay: ${err instanceof Error ? err.message : String(err)}`;
      this.log.error('ingress translation failed', { listener: this.listener, error: reason });
      invalid.push({ id: this.name, code: ErrorCode.InvalidIngress, reason });
    }
    // Status writes and other no-op changes come back as events; skip rebuilding an identical
    // table. Unchanged Ingresses keep their route objects, so this is mostly identity checks.
    const sent = this.sent;
    if (sent !== undefined && sameDefinitions(sent.routes, this.routes) && sameInvalid(sent.invalid, invalid)) return;
    this.sent = { routes: this.routes, invalid };
    this.onUpdate(this.sent);
  }
}

function sameInvalid(a: readonly InvalidRoute[], b: readonly InvalidRoute[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.code !== y.code || x.reason !== y.reason || x.source !== y.source) return false;
  }
  return true;
}

function invalidFrom(s: SkippedObject): InvalidRoute {
  return { id: s.id ?? s.object, code: s.code, reason: s.reason, source: s.object };
}
