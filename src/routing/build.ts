/**
 * Definitions → RouteTable. Each route is compiled on its own; one that fails (unknown
 * predicate or filter, bad arguments, a bad backend, a second Path, a duplicate id) is set aside
 * as an InvalidRoute with its error code and reason, and the rest of the table still applies.
 * Of two routes with the same id, the first is kept, as in Skipper.
 *
 * buildTable() compiles every route. A TableBuilder builds a stream of tables (one listener's) and
 * compiles only what changed: a definition equal to one of the previous table keeps its compiled
 * route (predicates, filter instances, backend and balancer), so a rebuild after one endpoint
 * change compiles a handful of routes instead of all of them, and stateful filters (breakers,
 * rate limits) of unchanged routes keep their state. A compiled route is shared by every table
 * that holds it and its filters are closed when the last of those tables closes.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import { sameDefinition } from '../eskip/equal.js';
import type { InvalidRoute, Route } from './route.js';
import { closeRouteFilters } from './route.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { type BuildDeps, compileRoute } from './compile-route.js';
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
      invalid.push(invalidRoute(def.id, e));
    }
  }
  return new RouteTable(placements, invalid);
}

function duplicate(id: string): InvalidRoute {
  return { id, code: ErrorCode.InvalidRoute, reason: `duplicate route id "${id}": the first definition is kept` };
}

function invalidRoute(id: string, e: unknown): InvalidRoute {
  const error = e instanceof SkiffError ? e : new SkiffError(ErrorCode.InvalidRoute, e instanceof Error ? e.message : String(e));
  return { id, code: error.code, reason: error.message };
}

/** A compiled route and the number of open tables that hold it. */
class SharedRoute {
  /** Open tables holding this route; its filters are closed when the count drops to 0. */
  tables = 0;

  constructor(
    readonly definition: RouteDefinition,
    /** Its placement in the newest table that holds it. */
    public placement: Placement,
  ) {}

  get route(): Route {
    return this.placement.candidate.route;
  }
}

/**
 * A table whose routes may also be held by other tables of the same builder: close() closes the
 * filters of the routes no open table holds any more, and leaves the others alone.
 */
class SharedRouteTable extends RouteTable {
  private released = false;

  constructor(
    placements: readonly Placement[],
    invalid: readonly InvalidRoute[],
    private readonly shared: readonly SharedRoute[],
  ) {
    super(placements, invalid);
    for (const s of shared) s.tables++;
  }

  override get isClosed(): boolean {
    return this.released;
  }

  override close(onError?: (error: unknown, routeId: string) => void): void {
    if (this.released) return;
    this.released = true;
    for (const s of this.shared) {
      if (--s.tables === 0) closeRouteFilters(s.route, onError);
    }
  }
}

/** What became of the definition at one position of the last build. */
type Outcome = SharedRoute | 'duplicate' | 'invalid';

/**
 * Builds one listener's successive tables, reusing the compiled routes of the previous table
 * whose definitions are unchanged (the same object, or equal). A reused route keeps its Route
 * object and filter instances; only its place in the definition order may be new. Routes that
 * could not be compiled are tried again each time, as a registry may have changed.
 */
export class TableBuilder {
  private lastDefs: readonly RouteDefinition[] = [];
  private outcomes: Outcome[] = [];
  private counts = { compiled: 0, reused: 0 };

  constructor(private readonly deps: BuildDeps) {}

  /** How many routes the last build compiled and how many it took from the previous table. */
  get stats(): { readonly compiled: number; readonly reused: number } {
    return this.counts;
  }

  build(defs: readonly RouteDefinition[]): RouteTable {
    const placements: Placement[] = [];
    const shared: SharedRoute[] = [];
    const invalid: InvalidRoute[] = [];
    const outcomes: Outcome[] = new Array<Outcome>(defs.length);
    let compiled = 0;
    const keep = (s: SharedRoute, order: number): void => {
      if (s.placement.candidate.order !== order) s.placement = reorder(s.placement, order);
      outcomes[order] = s;
      placements.push(s.placement);
      shared.push(s);
    };
    const compile = (def: RouteDefinition, order: number): void => {
      try {
        keep(new SharedRoute(def, compileRoute(def, order, this.deps)), order);
        compiled++;
      } catch (e) {
        invalid.push(invalidRoute(def.id, e));
        outcomes[order] = 'invalid';
      }
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
        } else if (was !== 'invalid' && was.tables > 0 && sameDefinition(was.definition, def)) keep(was, order);
        else compile(def, order);
      }
    } else {
      const previous = new Map<string, SharedRoute>();
      for (const o of this.outcomes) if (typeof o !== 'string') previous.set(o.definition.id, o);
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
        // A route whose tables have all closed has closed filters: it cannot serve again.
        if (s !== undefined && s.tables > 0 && sameDefinition(s.definition, def)) keep(s, order);
        else compile(def, order);
      }
    }
    const table = new SharedRouteTable(placements, invalid, shared);
    this.lastDefs = defs;
    this.outcomes = outcomes;
    this.counts = { compiled, reused: shared.length - compiled };
    return table;
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

/** The same compiled route at another position in the definitions (the tie-break between equal weights). */
function reorder(p: Placement, order: number): Placement {
  const c = p.candidate;
  return { ...p, candidate: new Candidate(c.route, order, c.weight, c.predicates, c.hostChecks) };
}
