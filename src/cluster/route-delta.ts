/**
 * What the primary sends a listener's workers after a rebuild: the whole list of definitions, or,
 * when the list kept its length and its ids at every position (an endpoint change), only the
 * positions whose definition is a different object. Unchanged Ingresses keep their definition
 * objects (see ClusterTranslator), so an endpoint change among 30,000 routes sends a few
 * definitions instead of 10 MB of JSON per worker, and each worker keeps the definition objects
 * it already holds (its TableBuilder then compares them by identity).
 *
 * Every message carries a version; a change names the version it applies to. A worker that holds
 * another version (it started in between) asks for the whole list again.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';
import type { PrimaryMessage, RoutesMessage } from './messages.js';

/** A listener's definitions as last sent, or as last received. */
export interface RouteSet {
  readonly version: number;
  readonly routes: readonly RouteDefinition[];
  readonly invalid: readonly InvalidRoute[];
}

/**
 * The message that takes workers from `previous` to the new definitions, and the whole message
 * for workers that start later. A change message is sent when at most half the positions changed.
 */
export function routesMessage(
  listener: string,
  previous: RouteSet | undefined,
  routes: readonly RouteDefinition[],
  invalid: readonly InvalidRoute[],
): { readonly message: PrimaryMessage; readonly whole: RoutesMessage; readonly sent: RouteSet } {
  const version = (previous?.version ?? 0) + 1;
  const whole: RoutesMessage = { skiff: 'routes', listener, version, routes, invalid };
  const sent: RouteSet = { version, routes, invalid };
  const changes = previous === undefined ? undefined : changedPositions(previous.routes, routes);
  if (previous === undefined || changes === undefined || changes.length * 2 > routes.length) return { message: whole, whole, sent };
  return { message: { skiff: 'routes-changed', listener, base: previous.version, version, changes, invalid }, whole, sent };
}

/** [position, definition] of every definition that is not the same object; undefined when a length or an id differs. */
function changedPositions(before: readonly RouteDefinition[], after: readonly RouteDefinition[]): [number, RouteDefinition][] | undefined {
  if (before.length !== after.length) return undefined;
  const changes: [number, RouteDefinition][] = [];
  for (let i = 0; i < after.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (a === b) continue;
    if (a.id !== b.id) return undefined;
    changes.push([i, b]);
  }
  return changes;
}

/**
 * The worker's side: the definitions after a message, or undefined when the message is a change
 * to a version other than the one held (the whole list must be asked for).
 */
export function applyRoutesMessage(held: RouteSet | undefined, m: Extract<PrimaryMessage, { skiff: 'routes' | 'routes-changed' }>): RouteSet | undefined {
  if (m.skiff === 'routes') return { version: m.version, routes: m.routes, invalid: m.invalid };
  if (held === undefined || held.version !== m.base) return undefined;
  const routes = held.routes.slice();
  for (const [at, route] of m.changes) {
    if (at < 0 || at >= routes.length || routes[at]!.id !== route.id) return undefined;
    routes[at] = route;
  }
  return { version: m.version, routes, invalid: m.invalid };
}
