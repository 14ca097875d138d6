/**
 * Structural equality of route definitions: what decides that a rebuilt table may keep the
 * compiled route of an unchanged definition, and that a source has nothing new to report. Numbers
 * compare with Object.is, so `0` and `-0` differ, as they may for a filter.
 */
import type { Arg, BackendDefinition, Call, RouteDefinition } from './definition.js';

export function sameDefinition(a: RouteDefinition, b: RouteDefinition): boolean {
  return (
    a === b ||
    (a.id === b.id && sameCalls(a.predicates, b.predicates) && sameCalls(a.filters, b.filters) && sameBackend(a.backend, b.backend) && sameFailure(a, b))
  );
}

function sameFailure(a: RouteDefinition, b: RouteDefinition): boolean {
  const x = a.failure;
  const y = b.failure;
  return x === y || (x !== undefined && y !== undefined && x.code === y.code && x.reason === y.reason);
}

/** Element by element; the same objects in the same order (the common case) cost one comparison each. */
export function sameDefinitions(a: readonly RouteDefinition[], b: readonly RouteDefinition[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameDefinition(a[i]!, b[i]!)) return false;
  return true;
}

export function sameCalls(a: readonly Call[], b: readonly Call[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameCall(a[i]!, b[i]!)) return false;
  return true;
}

export function sameCall(a: Call, b: Call): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.args.length !== b.args.length) return false;
  for (let i = 0; i < a.args.length; i++) if (!sameArg(a.args[i]!, b.args[i]!)) return false;
  return true;
}

function sameArg(a: Arg, b: Arg): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a === b || a.regexp === b.regexp;
  return Object.is(a, b);
}

export function sameBackend(a: BackendDefinition, b: BackendDefinition): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  if (a.type === 'network') return a.address === (b as typeof a).address;
  if (a.type === 'lb') {
    const o = b as typeof a;
    if (a.algorithm !== o.algorithm || a.endpoints.length !== o.endpoints.length) return false;
    for (let i = 0; i < a.endpoints.length; i++) if (a.endpoints[i] !== o.endpoints[i]) return false;
  }
  return true;
}
