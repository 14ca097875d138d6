/**
 * What the primary and its workers say to each other over the cluster IPC channel. The primary
 * owns the route sources (one watch of the Kubernetes API per node, not one per worker) and sends
 * each listener's definitions; workers build their own tables and serve traffic.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';

/** A listener's whole list of definitions (see route-delta.ts for versions). */
export interface RoutesMessage {
  readonly skiff: 'routes';
  readonly listener: string;
  readonly version: number;
  readonly routes: readonly RouteDefinition[];
  readonly invalid: readonly InvalidRoute[];
}

export type PrimaryMessage =
  | RoutesMessage
  | {
      /** The definitions at some positions replaced; the list of version `base` is otherwise unchanged. */
      readonly skiff: 'routes-changed';
      readonly listener: string;
      readonly base: number;
      readonly version: number;
      readonly changes: readonly (readonly [number, RouteDefinition])[];
      readonly invalid: readonly InvalidRoute[];
    }
  | { readonly skiff: 'drain'; readonly delayMs: number }
  | { readonly skiff: 'metrics-request'; readonly id: number };

export type WorkerMessage =
  | { readonly skiff: 'listening'; readonly listener: string; readonly host: string; readonly port: number }
  | { readonly skiff: 'ready' }
  /**
   * A listener could not be bound (port taken, no permission): a replacement would fail alike,
   * so the primary stops the process. `reason` names the listener, address and cause.
   */
  | { readonly skiff: 'cannot-listen'; readonly listener: string | null; readonly reason: string }
  /** A change could not be applied: send the whole list of this listener. */
  | { readonly skiff: 'resend'; readonly listener: string }
  | { readonly skiff: 'metrics-reply'; readonly id: number; readonly metrics: unknown };

function tagged(m: unknown): boolean {
  return typeof m === 'object' && m !== null && typeof (m as { skiff?: unknown }).skiff === 'string';
}

export function isPrimaryMessage(m: unknown): m is PrimaryMessage {
  return tagged(m);
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return tagged(m);
}
