/**
 * corsOrigin("https://a.example", ...): sets Access-Control-Allow-Origin on the response, as
 * Skipper's filters/cors does.
 *
 *   corsOrigin()            appends `Access-Control-Allow-Origin: *` to every response (appends:
 *                           a value the backend sent stays, as in Skipper)
 *   corsOrigin("o1", "o2")  when the request's Origin is exactly one of the listed origins
 *                           (case-sensitive), sets the header to it, replacing the backend's;
 *                           without an Origin, or with one not listed, the response is left as
 *                           it is
 *
 * Like Skipper, it adds no `Vary: Origin` and answers no preflight: it only sets this header.
 * The Origin is read from the request as the earlier filters left it.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { allStringArgs } from '../../src/args.js';
import { CorsOrigin } from '../names.js';

const header = 'access-control-allow-origin';

class AnyOrigin implements Filter {
  // hot path: one property read and write.
  response(ctx: FilterContext): void {
    const res = ctx.response;
    if (res === null) return;
    const prev = res.headers[header];
    if (prev === undefined) res.headers[header] = '*';
    // a new array: a served reply's header arrays may be shared between requests
    else res.headers[header] = Array.isArray(prev) ? [...prev, '*'] : [prev, '*'];
  }
}

class ListedOrigins implements Filter {
  constructor(private readonly allowed: ReadonlySet<string>) {}

  // hot path: one header read and one set lookup.
  response(ctx: FilterContext): void {
    const res = ctx.response;
    if (res === null) return;
    const value = ctx.outgoing.headers.origin;
    const origin = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
    if (origin === undefined || origin === '' || !this.allowed.has(origin)) return;
    res.headers[header] = origin;
  }
}

export const corsOrigin: FilterSpec = {
  name: CorsOrigin,
  create(args: readonly Arg[]): Filter {
    const origins = allStringArgs(CorsOrigin, args, 'each allowed origin');
    return origins.length === 0 ? new AnyOrigin() : new ListedOrigins(new Set(origins));
  },
};
