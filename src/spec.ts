/**
 * The public contracts between the router and its extensions: predicates, filters and the
 * per-request context they see. Specs are registered in one explicit list (see
 * src/predicates/index.ts and filters/index.ts); a plugin adds its specs the same way.
 *
 * `create` runs at table-build time and may be slow: validate and precompile there. `match`,
 * `request` and `response` run per request and must stay cheap.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Arg } from './eskip/definition.js';

export type { Arg } from './eskip/definition.js';

/** What predicates and templates read of the incoming request. Never mutated by filters. */
export interface RequestView {
  /** As received, upper-case for standard methods. */
  readonly method: string;
  /** The Host header (or absolute-form authority) as received, port included. */
  readonly host: string;
  /** Lower-cased host without port and without a trailing dot: what host matching uses. */
  readonly hostname: string;
  /** Percent-decoded, cleaned path (no `.`/`..` segments, no duplicate slashes), without query. */
  readonly path: string;
  /** The path exactly as the client sent it (still encoded), without query. */
  readonly rawPath: string;
  /** The query without the leading `?`, '' when absent. */
  readonly rawQuery: string;
  /** Node's parsed headers: lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** TCP peer address, normalised (IPv4-mapped IPv6 unwrapped, zone removed). */
  readonly remoteAddress: string;
  /**
   * The client address after trusted-proxy resolution of X-Forwarded-For; null when it cannot be
   * known (too short a chain, garbage). Untrusted peers: the peer address itself.
   */
  readonly clientIp: string | null;
  /** One uniform draw in [0, 1) per request, shared by Traffic-style predicates. */
  readonly random: number;
  /** All values of a query parameter, undefined when the key is absent. */
  query(name: string): readonly string[] | undefined;
  /** A cookie's value, undefined when absent. */
  cookie(name: string): string | undefined;
}

export interface Predicate {
  /** hot path: synchronous, no allocation. */
  match(req: RequestView): boolean;
}

export interface PredicateSpec {
  /** UpperCamel, e.g. `Header`. */
  readonly name: string;
  /**
   * True when an instance holds nothing but its arguments: the table builder then makes one
   * instance per distinct argument list and shares it between routes (see
   * src/routing/shared-predicates.ts). Leave it unset for predicates with per-route state or
   * randomness (Traffic draws a number per instance).
   */
  readonly shareable?: boolean;
  create(args: readonly Arg[]): Predicate;
}

/** The outgoing request, as filters may change it. Header names are lower-case. */
export interface OutgoingRequest {
  method: string;
  /** Raw (encoded) path sent upstream. */
  path: string;
  /** Query without `?`, '' for none. */
  query: string;
  /** Headers to send upstream, lower-case names. Hop-by-hop fields are already removed. */
  headers: Record<string, string | string[]>;
  /**
   * The Host sent upstream. Starts as the client's Host; `preserveHost("false")` or the
   * proxy option switch it to the backend address.
   */
  preserveHost: boolean;
  /** For `<dynamic>` backends: where to send the request (`http://host:port`). */
  backendUrl: string | undefined;
  /** Per-route backend timeout in ms (backendTimeout filter); undefined for the default. */
  timeoutMs: number | undefined;
}

/** The response, as response filters see it (a backend's body streams through unless a filter replaces it). */
export interface ResponseState {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[]>;
  /**
   * Set for local replies (shunt, serve()); undefined for a backend's response, whose body is
   * streamed. A response filter that sets it on a backend's response replaces that body: the
   * new one is sent and the backend's is read and dropped (inlineContentIfStatus).
   */
  body: string | Buffer | undefined;
}

export interface LocalReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface FilterContext {
  readonly request: RequestView;
  readonly outgoing: OutgoingRequest;
  /** null during the request phase, set for the response phase. */
  readonly response: ResponseState | null;
  /** Path parameters captured by Path/PathSubtree wildcards. */
  readonly params: Readonly<Record<string, string>>;
  /** Per-request bag shared by the route's filters (Skipper's state bag). */
  readonly state: Map<string, unknown>;
  readonly routeId: string;
  /**
   * Answer the request locally: no further request filters run, the backend is not called, and
   * the response filters of the filters that already ran still run in reverse order.
   */
  serve(reply: LocalReply): void;
  readonly served: boolean;
}

export interface Filter {
  request?(ctx: FilterContext): void | Promise<void>;
  response?(ctx: FilterContext): void | Promise<void>;
  /** Called once when the route table holding this filter is retired. */
  close?(): void;
}

export interface FilterSpec {
  /** lowerCamel, e.g. `setRequestHeader`. */
  readonly name: string;
  create(args: readonly Arg[]): Filter;
}
