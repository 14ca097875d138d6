/**
 * redirectTo(302, "location"?): answers the request with a redirect; the backend is not called.
 * The location may be absolute or partial; whatever it leaves out (scheme, host, path, query)
 * comes from the request, and with no location the request's own URL is used.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, integerArg, stringArg } from '../../src/args.js';
import { isValidHeaderValue } from '../header/header-syntax.js';
import { RedirectTo } from '../names.js';
import { buildLocation, parseLocation, type LocationParts } from './location.js';
import { lowerRawPath } from './lower-path.js';

const noLocation: LocationParts = { scheme: '', host: '', path: '', query: '', fragment: '' };

/** redirectTo, and redirectToLower with `lowerPath` (its fixed path is lowered when built). */
export class RedirectToFilter implements Filter {
  constructor(
    private readonly code: number,
    private readonly target: LocationParts,
    private readonly lowerPath = false,
  ) {}

  // hot path: one string build and one small reply object (and for redirectToLower, one
  // lower-casing of the request's path when the location has none of its own).
  request(ctx: FilterContext): void {
    const req = ctx.request;
    const location = buildLocation(this.target, {
      scheme: requestScheme(ctx.outgoing.headers['x-forwarded-proto']),
      host: req.host,
      rawPath: this.lowerPath && this.target.path === '' ? lowerRawPath(req.rawPath) : req.rawPath,
      rawQuery: req.rawQuery,
    });
    ctx.serve({ status: this.code, headers: { location, 'content-length': '0' } });
  }
}

/**
 * The scheme the client used. Read from the outgoing X-Forwarded-Proto, which the proxy sets
 * from the listener (or keeps from a trusted proxy in front); a client's own claim is not in it.
 * Without it, plain HTTP.
 */
export function requestScheme(forwarded: string | string[] | undefined): string {
  const value = typeof forwarded === 'string' ? forwarded : forwarded?.[0];
  // `https, http` when several proxies added one: the first is the client's.
  return value !== undefined && value.slice(0, 5).toLowerCase() === 'https' ? 'https' : 'http';
}

export const redirectTo: FilterSpec = {
  name: RedirectTo,
  create(args: readonly Arg[]): Filter {
    const { code, target } = redirectArgs(RedirectTo, args);
    return new RedirectToFilter(code, target);
  },
};

/** Checks `(code, "location"?)` for redirectTo and redirectToLower. */
export function redirectArgs(name: string, args: readonly Arg[]): { code: number; target: LocationParts } {
  expectCount(name, args, 1, 2);
  const code = integerArg(name, args, 0, 'the status code', 300, 399);
  if (args.length === 1) return { code, target: noLocation };
  const location = stringArg(name, args, 1, 'the location');
  if (!isValidHeaderValue(location)) throw invalidArgs(name, 'the location holds a control character');
  if (location.includes(' ')) throw invalidArgs(name, 'the location holds a space');
  const target = parseLocation(location);
  if (typeof target === 'string') throw invalidArgs(name, `${JSON.stringify(location)}: ${target}`);
  return { code, target };
}
