/**
 * The upstream HTTP client: one undici Agent for the process, a keep-alive pool per endpoint
 * origin with a cap on connections and on the size of response headers.
 */
import { Agent, buildConnector } from 'undici';
import { registerKnownHeaderNames } from './known-header-names.js';
import { dropUnsolicitedContinue } from './interim-response.js';

/** The proxy options the client is made from (ProxyOptions has them). */
export interface UpstreamOptions {
  readonly connectTimeoutMs: number;
  readonly maxConnectionsPerEndpoint: number;
  readonly headersTimeoutMs: number;
  readonly bodyIdleTimeoutMs: number;
  readonly upstreamKeepAliveMs: number;
  readonly maxResponseHeaderBytes: number;
}

export function createUpstreamAgent(options: UpstreamOptions): Agent {
  registerKnownHeaderNames();
  // undici's own connector (what it builds from connectTimeout), plus the interim-100 guard.
  const dial = buildConnector({ timeout: options.connectTimeoutMs });
  return new Agent({
    connections: options.maxConnectionsPerEndpoint,
    connect(opts, callback) {
      dial(opts, (err, socket) => {
        // A failed dial calls back with the error alone (no socket argument at all).
        if (err === null && socket != null) dropUnsolicitedContinue(socket);
        (callback as (e: Error | null, s: typeof socket) => void)(err, socket);
      });
    },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyIdleTimeoutMs,
    keepAliveTimeout: options.upstreamKeepAliveMs,
    keepAliveMaxTimeout: Math.max(options.upstreamKeepAliveMs, 600_000),
    pipelining: 1,
    // A backend header block past this is refused (undici's parser error, mapped to 502).
    maxHeaderSize: options.maxResponseHeaderBytes,
  });
}
