/**
 * A route as the matcher holds it: the conditions still to test per request (the path tree and
 * host index have already decided theirs) and its rank in a leaf. It is also the RouteMatch
 * returned for matches without path parameters, so the common lookup allocates nothing and
 * touches one object less.
 */
import type { Predicate, RequestView } from '../spec.js';
import type { Route, RouteMatch } from './route.js';
import { hasPlainPort, isBareHost } from './host-pattern.js';

/** Shared by every match without path parameters: prototype-less and frozen. */
export const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** Shared by every route with nothing left to evaluate: one array that stays in cache. */
const NO_PREDICATES: readonly Predicate[] = Object.freeze([]);

export class Candidate implements RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>> = EMPTY_PARAMS;
  /** Position in the definitions: the tie-break between equal weights (earlier wins). */
  readonly order: number;
  readonly weight: number;
  /** Evaluated on every attempt, cheapest first. */
  readonly predicates: readonly Predicate[];
  /**
   * Host regexps the host index already guarantees for a host that is its own host name (no
   * port, no trailing dot, lower case), and with `anyPort` also for a host with a numeric port;
   * evaluated only for other hosts. Null when there are none.
   */
  readonly hostChecks: readonly Predicate[] | null;
  readonly anyPort: boolean;

  constructor(
    route: Route,
    order: number,
    weight: number,
    predicates: readonly Predicate[],
    hostChecks: readonly Predicate[] | null,
    anyPort: boolean,
  ) {
    this.route = route;
    this.order = order;
    this.weight = weight;
    this.predicates = predicates.length === 0 ? NO_PREDICATES : predicates;
    this.hostChecks = hostChecks;
    this.anyPort = anyPort;
    Object.freeze(this);
  }

  // hot path: one loop over prebuilt predicates, no allocation
  accepts(req: RequestView): boolean {
    const predicates = this.predicates;
    for (let i = 0; i < predicates.length; i++) {
      if (!predicates[i]!.match(req)) return false;
    }
    const checks = this.hostChecks;
    if (checks !== null && !isBareHost(req.host, req.hostname) && !(this.anyPort && hasPlainPort(req.host))) {
      for (let i = 0; i < checks.length; i++) {
        if (!checks[i]!.match(req)) return false;
      }
    }
    return true;
  }
}

/** Leaf order: higher weight first, then earlier definition. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return b.weight - a.weight || a.order - b.order;
}
