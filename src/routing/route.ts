/**
 * A compiled route: the definition it came from, its filter instances in order, its compiled
 * backend. Predicates are held by the matcher, which decides how each one is evaluated.
 */
import type { RouteDefinition, RouteFailure } from '../eskip/definition.js';
import type { Backend } from '../backend/backend.js';
import type { Filter } from '../spec.js';

export interface Route {
  readonly id: string;
  readonly definition: RouteDefinition;
  /** Filter instances in definition order; responses run them in reverse. */
  readonly filters: readonly Filter[];
  readonly backend: Backend;
  /**
   * Set on the stand-in of a route that could not be built: it keeps the route's place and
   * answers 500 with this code (see compileFailedRoute).
   */
  readonly failure?: RouteFailure;
}

/** A route that could not be built, with the reason shown at /routes?invalid and in metrics. */
export interface InvalidRoute {
  readonly id: string;
  readonly code: string;
  readonly reason: string;
  /** Where the definition came from (file name, `namespace/ingress`), when known. */
  readonly source?: string;
  /**
   * True when the route keeps its place in the table and answers 500; false or absent when it is
   * not in the table at all (a duplicate id, or a route its source could not make).
   */
  readonly failClosed?: boolean;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Calls close() of each of the route's filters that has one. A filter whose close throws does
 * not stop the others; `onError` hears about it.
 */
export function closeRouteFilters(route: Route, onError?: (error: unknown, routeId: string) => void): void {
  for (const filter of route.filters) {
    if (filter.close === undefined) continue;
    try {
      filter.close();
    } catch (e) {
      onError?.(e, route.id);
    }
  }
}
