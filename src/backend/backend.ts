/**
 * Compiled backends: what a route sends its requests to. Network and load-balanced backends
 * carry endpoints; shunt, loopback and dynamic are handled by the proxy itself.
 */
import type { Balancer } from './balancer.js';

export interface Endpoint {
  /** `http://host:port`, the undici origin. */
  readonly origin: string;
  /** `host:port`, used as the Host header when the client's Host is not preserved. */
  readonly authority: string;
}

export type Backend =
  | { readonly type: 'network'; readonly endpoint: Endpoint }
  | { readonly type: 'lb'; readonly balancer: Balancer; readonly endpoints: readonly Endpoint[] }
  | { readonly type: 'shunt' }
  | { readonly type: 'loopback' }
  | { readonly type: 'dynamic' };
