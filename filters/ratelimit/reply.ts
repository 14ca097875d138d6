/** The answer to a limited request, with Skipper's headers. */
import type { LocalReply } from '../../src/spec.js';

export function limitedReply(status: number, maxHits: number, windowMs: number, retryAfter: number): LocalReply {
  const headers: Record<string, string> = {
    'ratelimit-limit': String(Math.max(0, maxHits)),
    // Skipper's own header: the limit scaled to an hour
    'x-rate-limit': String(windowMs > 0 ? Math.trunc((Math.max(0, maxHits) * 3_600_000) / windowMs) : Math.max(0, maxHits)),
  };
  if (retryAfter > 0) {
    headers['ratelimit-reset'] = String(retryAfter);
    headers['retry-after'] = String(retryAfter);
  }
  return { status, headers };
}
