/**
 * The upstream HTTP client: one undici Agent for the process, a keep-alive pool per endpoint
 * origin with a cap on connections and on the size of response headers.
 */
import { Agent } from 'undici';
import type { ProxyOptions } from '../proxy/options.js';
import { registerKnownHeaderNames } from './known-header-names.js';

export function createUpstreamAgent(options: ProxyOptions): Agent {
  registerKnownHeaderNames();
  return new Agent({
    connections: options.maxConnectionsPerEndpoint,
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyIdleTimeoutMs,
    keepAliveTimeout: options.upstreamKeepAliveMs,
    keepAliveMaxTimeout: Math.max(options.upstreamKeepAliveMs, 600_000),
    pipelining: 1,
    // A backend header block past this is refused (undici's parser error, mapped to 502).
    maxHeaderSize: options.maxResponseHeaderBytes,
  });
}
