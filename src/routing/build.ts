/**
 * Definitions → RouteTable. Each route is compiled on its own; one that fails (unknown
 * predicate or filter, bad arguments, a bad backend, a second Path, a duplicate id) is set aside
 * as an InvalidRoute with its error code and reason, and the rest of the table still applies.
 * Of two routes with the same id, the first is kept, as in Skipper.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from './route.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { type BuildDeps, compileRoute } from './compile-route.js';
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
      invalid.push({ id: def.id, code: ErrorCode.InvalidRoute, reason: `duplicate route id "${def.id}": the first definition is kept` });
      continue;
    }
    seen.add(def.id);
    try {
      placements.push(compileRoute(def, order, deps));
    } catch (e) {
      const error =
        e instanceof SkiffError ? e : new SkiffError(ErrorCode.InvalidRoute, e instanceof Error ? e.message : String(e));
      invalid.push({ id: def.id, code: error.code, reason: error.message });
    }
  }
  return new RouteTable(placements, invalid);
}
