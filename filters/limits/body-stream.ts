/**
 * Access to the downstream request and response of a proxied request, for the few filters that
 * must act on the body stream itself (the body size limit). The proxy's per-request context
 * carries them; a context without them (an upgrade, a unit test) simply has no stream access,
 * and such filters fall back to what the headers say.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FilterContext } from '../../src/spec.js';

export interface DownstreamStream {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** What the access log and metrics report for this request. */
  status: number;
  failure: string;
}

export function downstreamOf(ctx: FilterContext): DownstreamStream | null {
  const c = ctx as Partial<DownstreamStream>;
  return c.req !== undefined && c.res !== undefined && typeof c.status === 'number' ? (ctx as unknown as DownstreamStream) : null;
}
