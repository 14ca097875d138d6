/**
 * RouteTable: an immutable snapshot of compiled routes and their matcher. Lookup order:
 *   1. host index: exact host bucket, then one-label wildcard bucket, then hostless routes
 *      (see host-index.ts); the first bucket with a match wins;
 *   2. inside a bucket, the path tree (static > `:param` > free wildcard, with backtracking),
 *      then the routes without Path/PathSubtree;
 *   3. inside a tree leaf or that list, routes by Skipper's weight (highest first), ties broken
 *      by definition order (earlier first); the first route whose remaining conditions all
 *      hold is the match.
 */
import type { RequestView } from '../spec.js';
import type { InvalidRoute, Route, RouteMatch } from './route.js';
import { closeRouteFilters } from './route.js';
import { HostIndex } from './host-index.js';
import type { Placement } from './host-index.js';

export class RouteTable {
  /** The routes that serve; invalid routes answering 500 in their place are in `invalid`. */
  readonly routes: readonly Route[];
  readonly invalid: readonly InvalidRoute[];
  readonly createdAt: Date;
  /**
   * Requests currently using this table; maintained by Router.acquire/release so that a retired
   * table's filters are closed only once nothing runs on them.
   */
  inFlight = 0;
  private readonly index: HostIndex;
  private closed = false;

  /**
   * `same`, when given, is a table of the very same placements in the same order (a rebuild that
   * changed no route's place, only endpoints, see TableBuilder): its route list and index, which
   * nothing changes once built, serve this table as they are instead of being built again.
   */
  constructor(placements: readonly Placement[], invalid: readonly InvalidRoute[], same?: RouteTable) {
    // the fail-closed stand-ins of invalid routes are matched, but listed with `invalid`, not here
    this.routes = same?.routes ?? Object.freeze(servingRoutes(placements));
    this.invalid = Object.freeze([...invalid]);
    this.createdAt = new Date();
    this.index = same?.index ?? new HostIndex(placements);
  }

  static empty(): RouteTable {
    return new RouteTable([], []);
  }

  // hot path: see the lookup order above; allocates only for routes with path wildcards
  lookup(req: RequestView): RouteMatch | null {
    return this.index.lookup(req);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Calls close() of every filter of every route, once. A filter whose close throws does not
   * stop the others; `onError` hears about it.
   */
  close(onError?: (error: unknown, routeId: string) => void): void {
    if (this.closed) return;
    this.closed = true;
    for (const route of this.routes) closeRouteFilters(route, onError);
  }
}

function servingRoutes(placements: readonly Placement[]): Route[] {
  const routes: Route[] = [];
  for (const p of placements) if (p.candidate.route.failure === undefined) routes.push(p.candidate.route);
  return routes;
}
