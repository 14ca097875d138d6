/**
 * Definitions → RouteTable. Each route is compiled on its own; one that fails (unknown
 * predicate or filter, bad arguments, a bad backend, a second Path, a failure its source marked)
 * fails closed: it keeps its place with the predicates that could be built and answers 500 with
 * its error code (compileFailedRoute), so its requests never reach a less protected route, and it
 * is listed as an InvalidRoute with its code and reason. The rest of the table still applies.
 * Of two routes with the same id, the first is kept, as in Skipper; the second is only listed.
 *
 * buildTable() compiles every route. A TableBuilder builds a stream of tables (one listener's) and
 * compiles only what changed: a definition equal to one of the previous table keeps its compiled
 * route (predicates, filter instances, backend and balancer), so a rebuild after one endpoint
 * change compiles a handful of routes instead of all of them, and stateful filters (breakers,
 * rate limits) of unchanged routes keep their state. A definition that differs from the previous
 * one of its id only in its backend (the pods of its Service changed) keeps the compiled
 * predicates and filter instances and gets only its backend compiled again: after every pod of
 * the cluster was rescheduled, a rebuild makes 30,000 backends instead of 30,000 routes, and
 * keeps far less next to the previous table until that one is let go. When that backend is
 * load-balanced and only its endpoint list changed (the same algorithm), the route is not even
 * made again: its Route, Candidate and balancer stay, the balancer takes the new list and the Route
 * the new definition, so a table retiring meanwhile sees them too (a request on it has already
 * picked its endpoint). When no route changed its place, the new table shares the previous one's
 * matcher index. Filter instances are shared by every table that holds a route with them and are
 * closed when the last of those tables closes.
 */
import type { RouteDefinition, RouteFailure } from '../eskip/definition.js';
import { sameCalls, sameDefinition } from '../eskip/equal.js';
import type { Backend } from '../backend/backend.js';
import { adoptEndpoints } from '../backend/compile.js';
import type { Filter } from '../spec.js';
import type { InvalidRoute, Route } from './route.js';
import { closeRouteFilters } from './route.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { type BuildDeps, compileFailedRoute, compileRoute } from './compile-route.js';
import { Candidate } from './candidate.js';
import type { Placement } from './host-index.js';
import { RouteTable } from './table.js';

export type { BuildDeps } from './compile-route.js';

export function buildTable(defs: readonly RouteDefinition[], deps: BuildDeps): RouteTable {
  const placements: Placement[] = [];
  const invalid: InvalidRoute[] = [];
  const seen = new Set<string>();
  for (let order = 0; order < defs.length; order++) {
    const def = defs[order]!;
    if (seen.has(def.id)) {
      invalid.push(duplicate(def.id));
      continue;
    }
    seen.add(def.id);
    try {
      placements.push(compileRoute(def, order, deps));
    } catch (e) {
      const error = asSkiffError(e);
      const failed = failClosed(def, order, deps, error);
      if (failed !== null) placements.push(failed);
      invalid.push(invalidRoute(def.id, error, failed !== null));
    }
  }
  return new RouteTable(placements, invalid);
}

/**
 * The fail-closed stand-in of a route, or null if even that cannot be made (a predicate whose
 * create() throws is left out there, so only a bug gets here): the route is then only listed.
 */
function failClosed(def: RouteDefinition, order: number, deps: BuildDeps, error: SkiffError): Placement | null {
  try {
    return compileFailedRoute(def, order, deps, error);
  } catch {
    return null;
  }
}

function duplicate(id: string): InvalidRoute {
  return { id, code: ErrorCode.InvalidRoute, reason: `duplicate route id "${id}": the first definition is kept` };
}

function asSkiffError(e: unknown): SkiffError {
  return e instanceof SkiffError ? e : new SkiffError(ErrorCode.InvalidRoute, e instanceof Error ? e.message : String(e));
}

function invalidRoute(id: string, error: SkiffError, failClosed: boolean): InvalidRoute {
  return { id, code: error.code, reason: error.message, failClosed };
}

/**
 * The filter instances of a compiled route and the number of open tables that hold a route with
 * them: the route itself, or one made from it for a new backend. They are closed when the count
 * drops to 0.
 */
class SharedFilters {
  tables = 0;
}

/**
 * A compiled route as the builder keeps it: not frozen as compileRoute's, since an endpoint-only
 * change of its definition puts the new definition here (and the new endpoints in its balancer).
 */
class BuiltRoute implements Route {
  constructor(
    readonly id: string,
    public definition: RouteDefinition,
    readonly filters: readonly Filter[],
    readonly backend: Backend,
    readonly failure?: RouteFailure,
  ) {}
}

/**
 * A compiled route and its place in the index, as the builder keeps it: one object per route,
 * as a rebuild after every pod moved makes 30,000 of them.
 */
class SharedRoute implements Placement {
  constructor(
    readonly candidate: Candidate,
    readonly path: Placement['path'],
    readonly hosts: Placement['hosts'],
    readonly wildcardSuffix: Placement['wildcardSuffix'],
    readonly filters: SharedFilters,
  ) {}

  /** The route of a fresh compilation, in a BuiltRoute of its own. */
  static of(p: Placement, filters: SharedFilters): SharedRoute {
    const c = p.candidate;
    const r = c.route;
    const route = new BuiltRoute(r.id, r.definition, r.filters, r.backend, r.failure);
    return new SharedRoute(new Candidate(route, c.order, c.weight, c.predicates, c.hostChecks, c.anyPort), p.path, p.hosts, p.wildcardSuffix, filters);
  }

  get route(): BuiltRoute {
    // every Candidate of a SharedRoute is made by of() or with(), around a BuiltRoute
    return this.candidate.route as BuiltRoute;
  }

  get definition(): RouteDefinition {
    return this.candidate.route.definition;
  }

  /** Whether its filters are still open: a route whose tables have all closed cannot serve again. */
  get open(): boolean {
    return this.filters.tables > 0;
  }

  /** The same route in another Candidate: another position, or another Route (a new backend). */
  with(route: BuiltRoute, order: number): SharedRoute {
    const c = this.candidate;
    return new SharedRoute(new Candidate(route, order, c.weight, c.predicates, c.hostChecks, c.anyPort), this.path, this.hosts, this.wildcardSuffix, this.filters);
  }
}

/**
 * A table whose routes may also be held by other tables of the same builder: close() closes the
 * filters of the routes no open table holds any more, and leaves the others alone.
 */
class SharedRouteTable extends RouteTable {
  private released = false;

  constructor(
    readonly shared: readonly SharedRoute[],
    invalid: readonly InvalidRoute[],
    same?: SharedRouteTable,
  ) {
    super(shared, invalid, same);
    // one route per id in a table, so a table counts each set of filters once
    for (const s of shared) s.filters.tables++;
  }

  override get isClosed(): boolean {
    return this.released;
  }

  override close(onError?: (error: unknown, routeId: string) => void): void {
    if (this.released) return;
    this.released = true;
    for (const s of this.shared) {
      if (--s.filters.tables === 0) closeRouteFilters(s.route, onError);
    }
  }
}

/**
 * A definition that could not be compiled and its fail-closed stand-in, kept so that the next
 * build, when the definition and its error are the same, keeps the stand-in too (and with it
 * the index, when nothing else moved).
 */
class FailedRoute {
  constructor(
    readonly stand: SharedRoute,
    readonly invalid: InvalidRoute,
  ) {}

  /** Still the outcome of `def` failing with `error`. */
  same(def: RouteDefinition, error: SkiffError): boolean {
    return this.stand.open && sameDefinition(this.stand.definition, def) && this.invalid.code === error.code && this.invalid.reason === error.message;
  }
}

/**
 * What became of the definition at one position of the last build: compiled, a duplicate id,
 * failed with its stand-in, or failed without one ('invalid').
 */
type Outcome = SharedRoute | FailedRoute | 'duplicate' | 'invalid';

/** What the last build did with its definitions. */
export interface BuildStats {
  /** Routes compiled in full. */
  readonly compiled: number;
  /** Routes taken from the previous table as they were. */
  readonly reused: number;
  /** Routes that could not be compiled, in the table as their fail-closed stand-ins. */
  readonly failed: number;
  /**
   * Routes of the previous table given a new backend, with their predicates and filters kept, or
   * (load-balanced, same algorithm) only new endpoints, in the very same route.
   */
  readonly rebound: number;
}

/**
 * Builds one listener's successive tables, reusing the compiled routes of the previous table
 * whose definitions are unchanged (the same object, or equal). A reused route keeps its Route
 * object and filter instances; only its place in the definition order may be new. A route whose
 * definition changed only in its backend keeps its predicates and filter instances in a new Route
 * object with the new backend. Routes that could not be compiled are tried again each time, as a
 * registry may have changed.
 */
export class TableBuilder {
  private lastDefs: readonly RouteDefinition[] = [];
  private outcomes: Outcome[] = [];
  /** The last table built (the live one, as skiff swaps it in at once): its index may serve the next. */
  private last: SharedRouteTable | null = null;
  private counts: BuildStats = { compiled: 0, reused: 0, rebound: 0, failed: 0 };

  constructor(private readonly deps: BuildDeps) {}

  /** How many routes the last build compiled, took from the previous table, or gave a new backend. */
  get stats(): BuildStats {
    return this.counts;
  }

  build(defs: readonly RouteDefinition[]): RouteTable {
    const shared: SharedRoute[] = [];
    const invalid: InvalidRoute[] = [];
    const outcomes: Outcome[] = new Array<Outcome>(defs.length);
    let compiled = 0;
    let rebound = 0;
    let failed = 0;
    const place = (s: SharedRoute, order: number): SharedRoute => {
      // the one of the last build stays as it was: its tables may still be open
      const placed = s.candidate.order === order ? s : s.with(s.route, order);
      shared.push(placed);
      return placed;
    };
    const keep = (s: SharedRoute, order: number): void => {
      outcomes[order] = place(s, order);
    };
    /** `def` compiled; if it fails, its stand-in: the last build's, when it failed the same way. */
    const compile = (def: RouteDefinition, order: number, before?: FailedRoute): void => {
      try {
        keep(SharedRoute.of(compileRoute(def, order, this.deps), new SharedFilters()), order);
        compiled++;
        return;
      } catch (e) {
        const error = asSkiffError(e);
        if (before !== undefined && before.same(def, error)) {
          const stand = place(before.stand, order);
          failed++;
          invalid.push(before.invalid);
          outcomes[order] = stand === before.stand ? before : new FailedRoute(stand, before.invalid);
          return;
        }
        const stand = failClosed(def, order, this.deps, error);
        const entry = invalidRoute(def.id, error, stand !== null);
        invalid.push(entry);
        if (stand !== null) failed++;
        outcomes[order] = stand === null ? 'invalid' : new FailedRoute(place(SharedRoute.of(stand, new SharedFilters()), order), entry);
      }
    };
    /** `was` kept, or given the backend of `def`, or `def` compiled in full. */
    const update = (was: SharedRoute, def: RouteDefinition, order: number): void => {
      if (sameDefinition(was.definition, def)) return keep(was, order);
      const s = onlyBackendChanged(was.definition, def) ? this.rebind(was, def, order) : undefined;
      if (s === undefined) return compile(def, order);
      keep(s, order);
      rebound++;
    };
    if (this.sameIdsInPlace(defs)) {
      // hot path of a rebuild: the same ids at the same positions (an endpoint change), so the
      // duplicates are the same and each position only needs a look at its own definition
      const last = this.outcomes;
      for (let order = 0; order < defs.length; order++) {
        const def = defs[order]!;
        const was = last[order]!;
        if (was === 'duplicate') {
          invalid.push(duplicate(def.id));
          outcomes[order] = was;
        } else if (was instanceof SharedRoute && was.open) update(was, def, order);
        else compile(def, order, was instanceof FailedRoute ? was : undefined);
      }
    } else {
      const previous = new Map<string, SharedRoute | FailedRoute>();
      for (const o of this.outcomes) {
        if (o instanceof SharedRoute) previous.set(o.definition.id, o);
        else if (o instanceof FailedRoute) previous.set(o.invalid.id, o);
      }
      const seen = new Set<string>();
      for (let order = 0; order < defs.length; order++) {
        const def = defs[order]!;
        if (seen.has(def.id)) {
          invalid.push(duplicate(def.id));
          outcomes[order] = 'duplicate';
          continue;
        }
        seen.add(def.id);
        const s = previous.get(def.id);
        if (s instanceof SharedRoute && s.open) update(s, def, order);
        else compile(def, order, s instanceof FailedRoute ? s : undefined);
      }
    }
    // every route in the place it had (an endpoint change): the last table's list and index serve
    const last = this.last;
    const same = last !== null && sameRoutes(last.shared, shared) ? last : undefined;
    const table = new SharedRouteTable(same?.shared ?? shared, invalid, same);
    this.last = table;
    this.lastDefs = defs;
    this.outcomes = outcomes;
    this.counts = { compiled, reused: shared.length - compiled - rebound - failed, rebound, failed };
    return table;
  }

  /**
   * The route of `was` with the backend of `def`, which differs from its definition only there.
   * A load-balanced backend of the same algorithm keeps its Backend and balancer, which take the
   * new endpoints, and `was` itself is returned with `def` as its definition. Any other keeps the
   * same predicates (in a new Candidate, as the Route is new) and filter instances. Undefined
   * when the backend does not compile, so that the route is compiled in full and set aside with
   * the error a full compilation reports; `was` is then left as it was.
   */
  private rebind(was: SharedRoute, def: RouteDefinition, order: number): SharedRoute | undefined {
    let backend: Backend;
    try {
      backend = this.deps.compileBackend(def.backend);
    } catch {
      return undefined;
    }
    const route = was.route;
    if (adoptEndpoints(route.backend, backend)) {
      route.definition = def;
      return was;
    }
    return was.with(new BuiltRoute(def.id, def, route.filters, backend), order);
  }

  /** True when `defs` has the last build's ids at the same positions (most objects being the same ones). */
  private sameIdsInPlace(defs: readonly RouteDefinition[]): boolean {
    const last = this.lastDefs;
    if (last.length !== defs.length || last.length === 0) return false;
    for (let i = 0; i < defs.length; i++) {
      const a = last[i]!;
      const b = defs[i]!;
      if (a !== b && a.id !== b.id) return false;
    }
    return true;
  }
}

/** The same SharedRoute objects in the same order. */
function sameRoutes(a: readonly SharedRoute[], b: readonly SharedRoute[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Same id, predicates and filters (the same lists, as translation keeps them, or equal ones): only the backend differs. */
function onlyBackendChanged(a: RouteDefinition, b: RouteDefinition): boolean {
  return a.id === b.id && sameCalls(a.predicates, b.predicates) && sameCalls(a.filters, b.filters);
}
