/**
 * Proxy behaviour knobs, with defaults that suit running behind an AWS ALB. Parsed once from the
 * command line (src/cli/options.ts) or given by a library user.
 */
export type XffMode = 'append' | 'keep';

export interface ProxyOptions {
  /** X-Forwarded-For: append the peer address (default) or forward the incoming chain as is. */
  xff: XffMode;
  /** Send the client's Host upstream (default) instead of the backend address. */
  preserveHost: boolean;
  /** Dial timeout for upstream connections. */
  connectTimeoutMs: number;
  /** Time to wait for upstream response headers. */
  headersTimeoutMs: number;
  /** Longest pause between two upstream body chunks. */
  bodyIdleTimeoutMs: number;
  /** How long an idle upstream connection is kept for reuse. */
  upstreamKeepAliveMs: number;
  /** Cap on connections per endpoint. */
  maxConnectionsPerEndpoint: number;
  /**
   * Longest wait for a pooled connection when all of an endpoint's connections are busy; past
   * it the request gets 503 (reason `queue`). 0: wait without a limit.
   */
  backendQueueTimeoutMs: number;
  /**
   * Longest time a response may wait for the client to read (no byte taken by the client's
   * socket); past it the client connection is cut and the backend request aborted. 0: off.
   */
  writeTimeoutMs: number;
  /** Downstream keep-alive; above an ALB's 60 s idle timeout so the ALB closes first. */
  keepAliveTimeoutMs: number;
  /** Downstream time allowed to receive the request headers (slowloris guard). */
  requestHeadersTimeoutMs: number;
  /** How many times `<loopback>` may re-enter the table for one request. */
  maxLoopbacks: number;
  /** Status for requests no route matches. */
  defaultStatus: number;
  /** Value of the Server header added when the backend sends none. */
  serverName: string;
  /** Request header block size in bytes (Node's maxHeaderSize); larger → 431. */
  maxRequestHeaderBytes: number;
  /**
   * Request header lines; more → 431. Node silently drops lines past its own count, so skiff
   * counts them itself and never forwards a truncated header set.
   */
  maxRequestHeaderLines: number;
  /** Header names containing `_`: 'reject' with 400 (Envoy's REJECT_REQUEST), 'drop' them, or 'allow'. */
  underscoreHeaders: UnderscorePolicy;
  /** Time to receive a whole request, headers and body (Node's requestTimeout); 408 past it. 0: off. */
  requestTimeoutMs: number;
  /** Longest pause between two request body chunks before the connection is cut (slow POST). 0: off. */
  requestBodyIdleTimeoutMs: number;
  /** How often the header and request deadlines are checked. */
  connectionsCheckingIntervalMs: number;
  /** Requests in flight per process; beyond it a fast 503. 0: no cap. */
  maxConcurrentRequests: number;
  /**
   * Downstream connections one listener keeps open at once (Skipper's
   * -max-tcp-listener-concurrency); past it a new connection is closed as soon as it is
   * accepted. 0: no cap.
   */
  maxTcpListenerConcurrency: number;
  /** Backend response header block size in bytes; larger → 502. */
  maxResponseHeaderBytes: number;
  /** Passive health: consecutive gateway failures that eject a load-balanced endpoint. 0: off. */
  ejectAfterFailures: number;
  /** First ejection time; it doubles with each ejection in a row, up to ten times this. */
  ejectionMs: number;
  /** Share of one backend's endpoints that may be ejected at once (at least one, never all). */
  maxEjectedRatio: number;
}

export type UnderscorePolicy = 'reject' | 'drop' | 'allow';

export const defaultProxyOptions: Readonly<ProxyOptions> = Object.freeze({
  xff: 'append',
  preserveHost: true,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 60_000,
  upstreamKeepAliveMs: 30_000,
  // Envoy's circuit-breaker default: enough that a few hundred slow clients (each holding its
  // backend connection until the client timeouts cut it) leave room for everyone else, while a
  // slow backend still cannot be sent an unbounded number of connections per process.
  maxConnectionsPerEndpoint: 1024,
  backendQueueTimeoutMs: 1_000,
  writeTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
  requestHeadersTimeoutMs: 60_000,
  maxLoopbacks: 9,
  defaultStatus: 404,
  serverName: 'skiff',
  maxRequestHeaderBytes: 16_384,
  maxRequestHeaderLines: 200,
  underscoreHeaders: 'reject',
  requestTimeoutMs: 300_000,
  requestBodyIdleTimeoutMs: 60_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConcurrentRequests: 10_000,
  maxTcpListenerConcurrency: 10_000,
  maxResponseHeaderBytes: 16_384,
  ejectAfterFailures: 5,
  ejectionMs: 30_000,
  maxEjectedRatio: 0.3,
});
