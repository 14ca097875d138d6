/**
 * Routes from the `zalando.org/skipper-routes` annotation. As in Skipper, every custom route is
 * copied onto each host and path of the Ingress's rules: the rule's `Host` replaces any host the
 * route names (so an Ingress cannot claim another team's host) and the rule's path predicate is
 * added. A custom route that brings its own `Path`/`PathSubtree` where the rule has a path is set
 * aside ("multiple path predicates"), except that in path-prefix mode its own path replaces an
 * ImplementationSpecific rule path.
 */
import type { Call, RouteDefinition } from '../../eskip/definition.js';
import { customRouteId } from './ids.js';
import { isPathPredicate } from './paths.js';

export interface RuleScope {
  readonly namespace: string;
  readonly name: string;
  /** Normalised host, or undefined for a rule without host. */
  readonly host: string | undefined;
  readonly hostPredicates: readonly Call[];
  /** The rule path as written, '' for none. */
  readonly path: string;
  readonly pathPredicate: Call | undefined;
  /** True when the rule path is ImplementationSpecific and the path mode is path-prefix. */
  readonly ownPathWins: boolean;
}

export type ScopedRoute = { readonly ok: true; readonly route: RouteDefinition } | { readonly ok: false; readonly id: string; readonly reason: string };

export function scopeCustomRoutes(routes: readonly RouteDefinition[], scope: RuleScope): ScopedRoute[] {
  const out: ScopedRoute[] = [];
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i]!;
    const id = customRouteId(scope.namespace, scope.name, route.id, i, scope.host ?? '', scope.path);
    const own = route.predicates.filter((p) => p.name !== 'Host');
    const ownPaths = own.filter(isPathPredicate);
    let predicates: Call[];
    if (scope.pathPredicate === undefined || (ownPaths.length > 0 && scope.ownPathWins)) {
      predicates = [...scope.hostPredicates, ...own];
    } else if (ownPaths.length > 0) {
      out.push({ ok: false, id, reason: `route "${route.id}" has a path predicate and the rule has path "${scope.path}": multiple path predicates` });
      continue;
    } else {
      predicates = [...scope.hostPredicates, scope.pathPredicate, ...own];
    }
    out.push({ ok: true, route: { id, predicates, filters: route.filters, backend: route.backend } });
  }
  return out;
}
