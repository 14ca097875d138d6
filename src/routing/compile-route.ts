/**
 * One route definition → a compiled route and its place in the matcher: predicates and filters
 * instantiated once, the backend compiled, the host condition chosen for the index, and the
 * remaining conditions ordered for evaluation. Every problem throws a SkiffError for this route
 * only; filters already created for it are closed first.
 */
import type { BackendDefinition, Call, RouteDefinition } from '../eskip/definition.js';
import type { Backend } from '../backend/backend.js';
import type { Filter, FilterSpec, Predicate, PredicateSpec } from '../spec.js';
import type { Registry } from '../registry.js';
import type { Route } from './route.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { HostAnyPredicate, HostRegexpPredicate } from '../predicates/host.js';
import { PathPredicate } from '../predicates/path.js';
import { hostnameOf } from '../http/request-target.js';
import { Candidate } from './candidate.js';
import { failureFilters } from './failed-route.js';
import type { Placement } from './host-index.js';
import { analyzeHostRegexp } from './host-pattern.js';
import { evaluationRank, isPlacementOnly, routeWeight } from './weight.js';
import { sharedPredicate, singleCheck } from './shared-predicates.js';

export interface BuildDeps {
  readonly predicates: Registry<PredicateSpec>;
  readonly filters: Registry<FilterSpec>;
  compileBackend(def: BackendDefinition): Backend;
}

/** Any exception becomes a SkiffError; foreign ones get `code` and the spec name in front. */
function asSkiffError(e: unknown, code: ErrorCode, name: string): SkiffError {
  if (e instanceof SkiffError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SkiffError(code, `${name}: ${message}`, { cause: e });
}

function createPredicate(call: Call, registry: Registry<PredicateSpec>): Predicate {
  const spec = registry.get(call.name);
  if (spec === undefined) throw new SkiffError(ErrorCode.UnknownPredicate, `unknown predicate ${call.name}`);
  let predicate: Predicate;
  try {
    predicate = sharedPredicate(spec, call.args);
  } catch (e) {
    throw asSkiffError(e, ErrorCode.InvalidArgs, call.name);
  }
  if (predicate === null || typeof predicate !== 'object' || typeof predicate.match !== 'function') {
    throw new SkiffError(ErrorCode.InvalidArgs, `${call.name}: create() did not return a predicate`);
  }
  return predicate;
}

function createFilters(calls: readonly Call[], registry: Registry<FilterSpec>): Filter[] {
  const filters: Filter[] = [];
  try {
    for (const call of calls) {
      const spec = registry.get(call.name);
      if (spec === undefined) throw new SkiffError(ErrorCode.UnknownFilter, `unknown filter ${call.name}`);
      try {
        filters.push(spec.create(call.args));
      } catch (e) {
        throw asSkiffError(e, ErrorCode.InvalidArgs, call.name);
      }
    }
  } catch (e) {
    for (const f of filters) {
      try {
        f.close?.();
      } catch {
        // the route is being set aside for the first error; a failing close adds nothing
      }
    }
    throw e;
  }
  return filters;
}

/** Shared by every route without filters. */
const NO_FILTERS: readonly Filter[] = Object.freeze([]);

interface HostChoice {
  readonly predicate: Predicate;
  readonly hosts: readonly string[] | null;
  readonly wildcardSuffix: string | null;
  /** The index alone decides this condition for hosts with a plain port. */
  readonly complete: boolean;
  /** The index alone decides this condition for a host that is its own host name. */
  readonly bareComplete: boolean;
}

/**
 * What the index can do with one Host predicate, null for nothing. Kept per predicate instance:
 * shared instances (shared-predicates.ts) are analysed once, not once per route.
 */
const hostChoices = new WeakMap<Predicate, HostChoice | null>();

function hostChoiceOf(p: Predicate): HostChoice | null {
  let choice = hostChoices.get(p);
  if (choice !== undefined) return choice;
  choice = null;
  if (p instanceof HostAnyPredicate) {
    choice = { predicate: p, hosts: [...new Set(p.hosts.map(hostnameOf))], wildcardSuffix: null, complete: false, bareComplete: false };
  } else if (p instanceof HostRegexpPredicate) {
    const shape = analyzeHostRegexp(p.source);
    if (shape !== null) {
      const exact = shape.kind === 'exact';
      choice = {
        predicate: p,
        hosts: exact ? shape.hosts : null,
        wildcardSuffix: exact ? null : shape.suffix,
        complete: shape.complete,
        bareComplete: shape.bareComplete,
      };
    }
  }
  hostChoices.set(p, choice);
  return choice;
}

/** The host condition to index by: an exact one if any (more selective), else a wildcard. */
function chooseHost(predicates: readonly Predicate[]): HostChoice | null {
  let wildcard: HostChoice | null = null;
  for (const p of predicates) {
    if (!(p instanceof HostAnyPredicate || p instanceof HostRegexpPredicate)) continue;
    const choice = hostChoiceOf(p);
    if (choice === null) continue;
    if (choice.hosts !== null) return choice;
    wildcard ??= choice;
  }
  return wildcard;
}

export function compileRoute(def: RouteDefinition, order: number, deps: BuildDeps): Placement {
  if (def.failure !== undefined) throw new SkiffError(errorCodeOf(def.failure.code), def.failure.reason);
  const predicates = def.predicates.map((call) => createPredicate(call, deps.predicates));
  const paths = predicates.filter((p): p is PathPredicate => p instanceof PathPredicate);
  if (paths.length > 1) {
    throw new SkiffError(ErrorCode.InvalidRoute, 'a route takes at most one Path or PathSubtree');
  }
  let backend: Backend;
  try {
    backend = deps.compileBackend(def.backend);
  } catch (e) {
    throw asSkiffError(e, ErrorCode.InvalidBackend, 'backend');
  }
  const filters = createFilters(def.filters, deps.filters);
  const frozenFilters = filters.length === 0 ? NO_FILTERS : Object.freeze(filters);
  const route: Route = Object.freeze({ id: def.id, definition: def, filters: frozenFilters, backend });
  return place(route, order, predicates, paths[0] ?? null);
}

/**
 * The stand-in for a route that cannot be built: the same place in the matcher with the
 * predicates that could be built, and a 500 answer with `error`'s code instead of its filters and
 * backend. Its requests thus never fall through to another, less protected route. A predicate
 * that cannot be built is left out, which widens the match: the safe side, since a wider match
 * only takes more requests to the 500. A second Path or PathSubtree is evaluated per request.
 */
export function compileFailedRoute(def: RouteDefinition, order: number, deps: BuildDeps, error: SkiffError): Placement {
  const predicates: Predicate[] = [];
  for (const call of def.predicates) {
    try {
      predicates.push(createPredicate(call, deps.predicates));
    } catch {
      // left out: a wider match (see above)
    }
  }
  let path: PathPredicate | null = null;
  const extra: Predicate[] = [];
  for (const p of predicates) {
    if (!(p instanceof PathPredicate)) continue;
    if (path === null) path = p;
    else extra.push(p);
  }
  const failure = Object.freeze({ code: error.code, reason: error.message });
  const route: Route = Object.freeze({ id: def.id, definition: def, filters: failureFilters(error.code), backend: SHUNT, failure });
  return place(route, order, predicates, path, extra);
}

const SHUNT: Backend = Object.freeze({ type: 'shunt' });

/** Where the route goes in the index and what is left to evaluate per request. */
function place(route: Route, order: number, predicates: readonly Predicate[], path: PathPredicate | null, extra: readonly Predicate[] = NO_PREDICATES): Placement {
  const host = chooseHost(predicates);
  const captured = host !== null && (host.complete || host.bareComplete) ? host.predicate : null;
  const evaluated: Predicate[] = [...extra];
  for (const p of predicates) if (!isPlacementOnly(p) && p !== captured) evaluated.push(p);
  // Array.prototype.sort is stable: equal ranks keep the order written
  if (evaluated.length > 1) evaluated.sort((a, b) => evaluationRank(a) - evaluationRank(b));
  const candidate = new Candidate(route, order, routeWeight(predicates), evaluated, captured === null ? null : singleCheck(captured), host?.complete === true);
  return {
    candidate,
    path,
    hosts: host?.hosts ?? null,
    wildcardSuffix: host?.wildcardSuffix ?? null,
  };
}

const NO_PREDICATES: readonly Predicate[] = Object.freeze([]);

/** A failure code as given by a source: one of ours, or InvalidRoute for a code we do not know. */
function errorCodeOf(code: string): ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(code) ? (code as ErrorCode) : ErrorCode.InvalidRoute;
}
