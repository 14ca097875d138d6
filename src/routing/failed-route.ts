/**
 * What a route that cannot be built answers: 500 with its error code, from a filter that serves
 * the reply before any other could run. It is the route's only filter, so the request never
 * reaches a backend, and it goes through the proxy like any shunted route: metrics by route id,
 * the access log and the trace all see it.
 */
import type { Filter, FilterContext, LocalReply } from '../spec.js';

/** One filter list per error code: every failed route with that code shares it. */
const byCode = new Map<string, readonly Filter[]>();

export function failureFilters(code: string): readonly Filter[] {
  let filters = byCode.get(code);
  if (filters === undefined) {
    filters = Object.freeze([new FailedRouteReply(code)]);
    byCode.set(code, filters);
  }
  return filters;
}

class FailedRouteReply implements Filter {
  private readonly body: string;

  constructor(code: string) {
    // The code tells the route's owner what to look for at /routes?invalid; the reason itself
    // (annotation texts, file names) stays with the operator.
    this.body = `Internal Server Error: the route cannot be built (${code})\n`;
  }

  request(ctx: FilterContext): void {
    // a new reply each time: response filters of other routes (after a loopback) may change it
    const reply: LocalReply = {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      body: this.body,
    };
    ctx.serve(reply);
  }
}
