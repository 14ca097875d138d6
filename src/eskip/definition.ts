/**
 * Route definitions: the plain, serialisable data a route is made of before it is compiled.
 * Every source (eskip routes files, Ingress translation, annotations) produces these, and the
 * eskip printer turns them back into text. Nothing here knows about requests or sockets.
 */

/** A `/regexp/` literal. Kept apart from strings so that printing gives back the same literal. */
export interface RegexpArg {
  readonly regexp: string;
}

/** One argument of a predicate or filter call: a string, a number or a regexp literal. */
export type Arg = string | number | RegexpArg;

/** `Name(arg, ...)`, used for both predicates (UpperCamel) and filters (lowerCamel). */
export interface Call {
  readonly name: string;
  readonly args: readonly Arg[];
}

export type BackendDefinition =
  | { readonly type: 'network'; readonly address: string }
  | { readonly type: 'shunt' }
  | { readonly type: 'loopback' }
  | { readonly type: 'dynamic' }
  | { readonly type: 'forward' }
  | {
      readonly type: 'lb';
      /** Absent means the default (roundRobin); printed only when given. */
      readonly algorithm?: string;
      readonly endpoints: readonly string[];
    };

export interface RouteDefinition {
  readonly id: string;
  /** An empty list is the catch-all `*`. */
  readonly predicates: readonly Call[];
  readonly filters: readonly Call[];
  readonly backend: BackendDefinition;
  /**
   * Set by a source that knows the route cannot work as written (a bad annotation on its
   * Ingress): the table keeps its predicates and answers 500 with this code, so that its requests
   * never fall through to a less protected route.
   */
  readonly failure?: RouteFailure;
}

/** Why a route answers 500 instead of serving: a stable code (src/errors.ts) and a reason for operators. */
export interface RouteFailure {
  readonly code: string;
  readonly reason: string;
}

export function isRegexpArg(arg: Arg): arg is RegexpArg {
  return typeof arg === 'object' && arg !== null && typeof (arg as RegexpArg).regexp === 'string';
}
