/**
 * The 401 replies of the JWT filters (RFC 6750 §3): no token gets a bare `Bearer` challenge,
 * a token that failed verification `error="invalid_token"`. The reason is not given: which check
 * failed is of use to an attacker, not to a client.
 */
import type { FilterContext } from '../../src/spec.js';

export function unauthorized(ctx: FilterContext, tokenGiven: boolean): void {
  ctx.serve({
    status: 401,
    headers: {
      'www-authenticate': tokenGiven ? 'Bearer error="invalid_token"' : 'Bearer',
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
    body: 'Unauthorized\n',
  });
}
