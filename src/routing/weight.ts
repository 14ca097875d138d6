/**
 * Priority inside a path-tree leaf, as Skipper computes it: the sum of `Weight(n)`, plus one per
 * condition, except that `Header` and `HeaderRegexp` count distinct header keys and the path-tree
 * predicates count nothing. Also the order in which a route's conditions are evaluated: cheap,
 * selective checks first, as Skipper does (method, host, path regexp, headers, the rest).
 */
import type { Predicate } from '../spec.js';
import { ConstantPredicate, WeightPredicate } from '../predicates/constant.js';
import { HeaderPredicate, HeaderRegexpPredicate } from '../predicates/header.js';
import { HostAnyPredicate, HostRegexpPredicate } from '../predicates/host.js';
import { MethodPredicate, MethodsPredicate } from '../predicates/method.js';
import { PathPredicate, PathRegexpPredicate } from '../predicates/path.js';

export function routeWeight(predicates: readonly Predicate[]): number {
  let weight = 0;
  // the sets only for routes with header conditions: most have none, and a build has many routes
  let headerKeys: Set<string> | null = null;
  let headerRegexpKeys: Set<string> | null = null;
  for (const p of predicates) {
    if (p instanceof WeightPredicate) weight += p.weight;
    else if (p instanceof PathPredicate) continue;
    else if (p instanceof HeaderPredicate) (headerKeys ??= new Set()).add(p.key);
    else if (p instanceof HeaderRegexpPredicate) (headerRegexpKeys ??= new Set()).add(p.key);
    else weight++;
  }
  return weight + (headerKeys?.size ?? 0) + (headerRegexpKeys?.size ?? 0);
}

/** Lower runs first. Predicates from plugins run last, in the order written. */
export function evaluationRank(p: Predicate): number {
  if (p instanceof ConstantPredicate) return 0;
  if (p instanceof MethodPredicate || p instanceof MethodsPredicate) return 1;
  if (p instanceof HostRegexpPredicate || p instanceof HostAnyPredicate) return 2;
  if (p instanceof PathRegexpPredicate) return 3;
  if (p instanceof HeaderPredicate) return 4;
  if (p instanceof HeaderRegexpPredicate) return 5;
  return 6;
}

/** Never evaluated per request: they only place or rank the route. */
export function isPlacementOnly(p: Predicate): boolean {
  return p instanceof PathPredicate || p instanceof WeightPredicate || (p instanceof ConstantPredicate && p.value);
}
