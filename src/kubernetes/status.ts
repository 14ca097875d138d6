/**
 * Publishes the router's address in status.loadBalancer.ingress of the Ingresses it serves
 * (--publish-status-address, or a listener's own addresses). Only Ingresses handed in are
 * touched, so another class's Ingress is never written; a write happens only when the cached
 * status differs. Each Ingress may get its own addresses (those of the listeners serving it).
 * Failures are logged and left for the next call to retry; they never reach the caller.
 */

import { isIP } from 'node:net';
import type { KubeApiClient } from './client/api-client.js';
import { describeError, stderrKubeLogger } from './client/logger.js';
import type { KubeLogger } from './client/logger.js';
import type { KubeObject } from './cache.js';
import { objectKey } from './cache.js';
import { objectPath, RESOURCES } from './watch/resources.js';

export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
}

interface WithStatus extends KubeObject {
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly (LoadBalancerIngress & { readonly ports?: unknown })[] | null } | null } | null;
}

export interface StatusUpdateResult {
  /** namespace/name of Ingresses patched. */
  readonly written: readonly string[];
  /** namespace/name of Ingresses that already carried the address. */
  readonly unchanged: readonly string[];
  /** namespace/name of Ingresses whose patch failed; retried on the next call. */
  readonly failed: readonly string[];
}

export interface IngressStatusWriterOptions {
  readonly client: KubeApiClient;
  /** IP addresses or hostnames to publish, in order, on Ingresses given without their own. */
  readonly addresses?: string | readonly string[];
  readonly logger?: KubeLogger;
  /** Patches in flight at once. */
  readonly concurrency?: number;
}

/** [{ip}] for an IP address, [{hostname}] otherwise, for each address. */
export function loadBalancerIngressFor(addresses: string | readonly string[]): LoadBalancerIngress[] {
  const list = typeof addresses === 'string' ? [addresses] : addresses;
  return list
    .map((a) => a.trim())
    .filter((a) => a.length > 0)
    .map((a) => (isIP(a) ? { ip: a } : { hostname: a }));
}

function sameStatus(ingress: WithStatus, desired: readonly LoadBalancerIngress[]): boolean {
  const current = ingress.status?.loadBalancer?.ingress ?? [];
  if (current.length !== desired.length) return false;
  return current.every((entry, i) => {
    const want = desired[i];
    return (
      want !== undefined &&
      (entry.ip ?? undefined) === want.ip &&
      (entry.hostname ?? undefined) === want.hostname &&
      (entry.ports === undefined || entry.ports === null || (Array.isArray(entry.ports) && entry.ports.length === 0))
    );
  });
}

/** The addresses to publish on one Ingress; an empty list leaves its status alone. */
export type StatusAddressesOf = (ingress: KubeObject) => readonly string[];

export class IngressStatusWriter {
  private readonly client: KubeApiClient;
  private readonly addresses: readonly string[];
  private readonly logger: KubeLogger;
  private readonly concurrency: number;
  /**
   * What we wrote, by namespace/name: the resourceVersion the cache held when we wrote it.
   * Until the watch delivers our own write, the cache still shows the old status; this
   * keeps us from writing the same value again meanwhile.
   */
  private readonly written = new Map<string, { readonly baseVersion: string | undefined; readonly value: string }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: IngressStatusWriterOptions) {
    this.client = options.client;
    const given = options.addresses ?? [];
    this.addresses = typeof given === 'string' ? [given] : given;
    this.logger = options.logger ?? stderrKubeLogger;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /**
   * Brings the status of the given Ingresses to their addresses: `addressesOf(ingress)` when
   * given, else the writer's own. Pass every served Ingress, as cached by the watch, on each
   * call: one left out is forgotten and would be written again later. Calls run one after
   * another; never rejects.
   */
  update(ingresses: readonly KubeObject[], addressesOf?: StatusAddressesOf): Promise<StatusUpdateResult> {
    const run = this.queue.then(() => this.apply(ingresses, addressesOf));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(ingresses: readonly KubeObject[], addressesOf: StatusAddressesOf | undefined): Promise<StatusUpdateResult> {
    const written: string[] = [];
    const unchanged: string[] = [];
    const failed: string[] = [];
    const todo: { ingress: WithStatus; desired: readonly LoadBalancerIngress[]; json: string }[] = [];
    const given = new Set<string>();
    // Most Ingresses share one of a few address lists: convert each list once per pass.
    const converted = new Map<string, { desired: readonly LoadBalancerIngress[]; json: string }>();
    for (const ingress of ingresses as readonly WithStatus[]) {
      if (!ingress.metadata.namespace) continue;
      const addresses = addressesOf === undefined ? this.addresses : addressesOf(ingress);
      const listKey = addresses.join('\n');
      let want = converted.get(listKey);
      if (want === undefined) {
        const desired = loadBalancerIngressFor(addresses);
        want = { desired, json: JSON.stringify(desired) };
        converted.set(listKey, want);
      }
      if (want.desired.length === 0) continue;
      const key = objectKey(ingress);
      given.add(key);
      const memo = this.written.get(key);
      if (sameStatus(ingress, want.desired)) {
        unchanged.push(key);
        continue;
      }
      if (memo && memo.value === want.json && memo.baseVersion === ingress.metadata.resourceVersion) {
        unchanged.push(key);
        continue;
      }
      todo.push({ ingress, ...want });
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let item = todo[next++]; item !== undefined; item = todo[next++]) {
        const { ingress, desired, json } = item;
        const key = objectKey(ingress);
        try {
          await this.patch(ingress, desired);
          this.written.set(key, { baseVersion: ingress.metadata.resourceVersion, value: json });
          written.push(key);
        } catch (err) {
          this.written.delete(key);
          failed.push(key);
          this.logger.warn('ingress status update failed', { ingress: key, error: describeError(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
    // Forget Ingresses no longer served (or deleted), so the memory does not grow with churn.
    for (const key of this.written.keys()) if (!given.has(key)) this.written.delete(key);
    return { written, unchanged, failed };
  }

  private async patch(ingress: WithStatus, desired: readonly LoadBalancerIngress[]): Promise<void> {
    const path = objectPath(RESOURCES.ingresses, ingress.metadata.namespace, ingress.metadata.name, 'status');
    // A merge patch replaces the whole list, which is what we want: the address is ours.
    await this.client.patchJson(path, { status: { loadBalancer: { ingress: desired } } }, 'application/merge-patch+json');
  }
}

/** One-shot form for callers without a long-lived writer; it cannot skip in-flight duplicates. */
export function updateIngressStatus(
  client: KubeApiClient,
  ingresses: readonly KubeObject[],
  addresses: string | readonly string[],
  logger?: KubeLogger,
): Promise<StatusUpdateResult> {
  return new IngressStatusWriter({ client, addresses, ...(logger ? { logger } : {}) }).update(ingresses);
}
