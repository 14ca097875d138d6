/**
 * The reply of the IP list filters to a client they refuse: 403 with a short text body, the
 * same shape as skiff's own error replies. Nothing in it says which list refused the client.
 */
import type { FilterContext } from '../../src/spec.js';

export function forbid(ctx: FilterContext): void {
  ctx.serve({
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: 'Forbidden\n',
  });
}
