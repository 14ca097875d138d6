/**
 * redirectToLower(302, "location"?): redirectTo with the path of the Location lower-cased, as
 * Skipper's redirectToLower does: the location's own path when it has one, else the request's.
 * Scheme, host and query are taken as redirectTo takes them and are not lower-cased (Skipper's
 * docs say "all strings"; its code lower-cases only the path).
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { buildLocation, type LocationParts } from './location.js';
import { lowerRawPath } from './lower-path.js';
import { redirectArgs, requestScheme } from './redirect-to.js';
import { RedirectToLower } from '../names.js';

class RedirectToLowerFilter implements Filter {
  constructor(
    private readonly code: number,
    private readonly target: LocationParts,
  ) {}

  // hot path: one lower-casing of the path (a fixed path was lower-cased at build time) and
  // one string build.
  request(ctx: FilterContext): void {
    const req = ctx.request;
    const location = buildLocation(this.target, {
      scheme: requestScheme(ctx.outgoing.headers['x-forwarded-proto']),
      host: req.host,
      rawPath: this.target.path === '' ? lowerRawPath(req.rawPath) : '',
      rawQuery: req.rawQuery,
    });
    ctx.serve({ status: this.code, headers: { location, 'content-length': '0' } });
  }
}

export const redirectToLower: FilterSpec = {
  name: RedirectToLower,
  create(args: readonly Arg[]): Filter {
    const { code, target } = redirectArgs(RedirectToLower, args);
    const lowered = target.path === '' ? target : { ...target, path: lowerRawPath(target.path) };
    return new RedirectToLowerFilter(code, lowered);
  },
};
