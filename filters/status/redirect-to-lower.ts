/**
 * redirectToLower(302, "location"?): redirectTo with the path of the Location lower-cased, as
 * Skipper's redirectToLower does: the location's own path when it has one, else the request's.
 * Scheme, host and query are taken as redirectTo takes them and are not lower-cased (Skipper's
 * docs say "all strings"; its code lower-cases only the path).
 */
import type { Arg, Filter, FilterSpec } from '../../src/spec.js';
import { lowerRawPath } from './lower-path.js';
import { RedirectToFilter, redirectArgs } from './redirect-to.js';
import { RedirectToLower } from '../names.js';

export const redirectToLower: FilterSpec = {
  name: RedirectToLower,
  create(args: readonly Arg[]): Filter {
    const { code, target } = redirectArgs(RedirectToLower, args);
    const lowered = target.path === '' ? target : { ...target, path: lowerRawPath(target.path) };
    return new RedirectToFilter(code, lowered, true);
  },
};
