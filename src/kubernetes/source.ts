/**
 * Where Ingress translation gets its objects: a snapshot provider (the Kubernetes API through
 * ClusterWatch, or a directory of manifests) that loads a complete cluster picture once, then
 * tells subscribers after each burst of changes. This file holds the interface and the API form.
 */
import type { Logger } from '../log.js';
import type { InvalidRoute } from '../routing/route.js';
import { KubeApiClient } from './client/api-client.js';
import type { KubeApiClientOptions } from './client/api-client.js';
import { loadKubeConnection } from './client/config.js';
import type { LoadKubeConnectionOptions } from './client/config.js';
import type { KubeLogger } from './client/logger.js';
import type { ClusterSnapshot } from './translate/types.js';
import { ClusterWatch } from './watch/cluster-watch.js';
import type { ClusterWatchOptions } from './watch/cluster-watch.js';

export type SnapshotListener = (snapshot: ClusterSnapshot) => void;

export interface SnapshotProvider {
  /** `kubernetes` or `ingress-dir`: names the route sources built on it. */
  readonly name: string;
  /** True once the first complete snapshot was loaded; stays true through later failures. */
  readonly ready: boolean;
  /** Resolves after the first complete snapshot; calling it again returns the same promise. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The current objects; the last good ones while the origin is failing. Must not be changed. */
  snapshot(): ClusterSnapshot;
  /** Called after changes (debounced), possibly also once when the first snapshot is ready. */
  onChange(listener: SnapshotListener): () => void;
  /** Problems of the origin itself (a manifest that does not parse), shown with the invalid routes. */
  problems?(): readonly InvalidRoute[];
}

/** The process logger seen through the Kubernetes layer's logging surface, with a component tag. */
export function kubeLoggerFrom(log: Logger): KubeLogger {
  const tag = (fields?: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ component: 'kubernetes', ...fields });
  return {
    debug: (m, f) => log.debug(m, tag(f)),
    info: (m, f) => log.info(m, tag(f)),
    warn: (m, f) => log.warn(m, tag(f)),
    error: (m, f) => log.error(m, tag(f)),
  };
}

export interface ApiSnapshotProviderOptions {
  /** Closed on stop(), after the watch, when given. */
  readonly client?: KubeApiClient;
}

/** The Kubernetes API as a snapshot provider: a thin adapter over ClusterWatch. */
export class ApiSnapshotProvider implements SnapshotProvider {
  readonly name = 'kubernetes';
  readonly client: KubeApiClient | undefined;
  private readonly aborter = new AbortController();
  private started: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    readonly watch: ClusterWatch,
    options: ApiSnapshotProviderOptions = {},
  ) {
    this.client = options.client;
  }

  /**
   * Connects as the command line does: --kubeconfig, then KUBECONFIG, then in-cluster. Throws
   * SkiffError (InvalidOption) when no usable configuration is found.
   */
  static connect(
    options: LoadKubeConnectionOptions & { readonly logger?: KubeLogger; readonly watch?: Omit<ClusterWatchOptions, 'client' | 'logger'>; readonly client?: KubeApiClientOptions } = {},
  ): ApiSnapshotProvider {
    const client = new KubeApiClient(loadKubeConnection(options), options.client);
    const watch = new ClusterWatch({ ...options.watch, client, ...(options.logger ? { logger: options.logger } : {}) });
    return new ApiSnapshotProvider(watch, { client });
  }

  get ready(): boolean {
    return this.watch.ready;
  }

  start(): Promise<void> {
    this.started ??= (async () => {
      this.watch.start();
      await this.watch.whenReady(this.aborter.signal);
    })();
    return this.started;
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.aborter.abort(new Error('stopped before the first snapshot'));
      await this.watch.stop();
      await this.client?.close();
    })();
    return this.stopped;
  }

  snapshot(): ClusterSnapshot {
    return this.watch.snapshot();
  }

  onChange(listener: SnapshotListener): () => void {
    return this.watch.onChange(listener);
  }
}
