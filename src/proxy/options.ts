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
}

export const defaultProxyOptions: Readonly<ProxyOptions> = Object.freeze({
  xff: 'append',
  preserveHost: true,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 60_000,
  upstreamKeepAliveMs: 30_000,
  maxConnectionsPerEndpoint: 128,
  keepAliveTimeoutMs: 65_000,
  requestHeadersTimeoutMs: 60_000,
  maxLoopbacks: 9,
  defaultStatus: 404,
  serverName: 'skiff',
});
