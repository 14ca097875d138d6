/**
 * One instance per distinct call of the predicates that hold nothing but their
 * arguments. Tables repeat the same conditions on many routes (an Ingress host regexp once per
 * path, the same Method or Header on many routes), and sharing them makes a big build allocate
 * and keep far less, and keeps the instances a lookup evaluates in the CPU caches.
 *
 * Only specs that declare themselves `shareable` are shared, each under its own spec object: a
 * plugin that replaces a built-in name gets its create() called for every route unless it says
 * so too, as does `Traffic`, whose instances each draw their own random number. Path and
 * PathSubtree are left out: they are placed in the tree, never evaluated, and almost every
 * route has its own.
 *
 * Like the compiled regexps, the cache outlives a build (a rebuild finds the same conditions)
 * and is cleared when full, so conditions that come and go cannot grow it without limit.
 */
import type { Arg, Predicate, PredicateSpec } from '../spec.js';
import { isRegexpArg } from '../eskip/definition.js';

const MAX_CACHED = 50_000;

/**
 * One spec's instances. A single argument, the common case (`Host(/re/)`, `Method("GET")`), is
 * its own key, so the key costs nothing to make; longer lists get argsKey.
 */
interface SpecInstances {
  readonly byString: Map<string, Predicate>;
  readonly byRegexp: Map<string, Predicate>;
  readonly byArgs: Map<string, Predicate>;
}

const cache = new Map<PredicateSpec, SpecInstances>();
let cached = 0;

/**
 * The arguments as a key that tells every argument list apart (type, length, text); null for
 * an argument of another type, which the spec will refuse.
 */
function argsKey(args: readonly Arg[]): string | null {
  let key = '';
  for (const arg of args) {
    if (typeof arg === 'string') key += `s${arg.length}:${arg}`;
    else if (typeof arg === 'number') key += `n${arg};`;
    else if (isRegexpArg(arg)) key += `r${arg.regexp.length}:${arg.regexp}`;
    else return null;
  }
  return key;
}

/**
 * `spec.create(args)`, or the instance an earlier call with equal arguments made when `spec` is
 * shareable. Failures are not cached: each route reports its own.
 */
export function sharedPredicate(spec: PredicateSpec, args: readonly Arg[]): Predicate {
  if (spec.shareable !== true) return spec.create(args);
  let instances = cache.get(spec);
  if (instances === undefined) {
    instances = { byString: new Map(), byRegexp: new Map(), byArgs: new Map() };
    cache.set(spec, instances);
  }
  let map: Map<string, Predicate>;
  let key: string | null;
  const only = args.length === 1 ? args[0] : undefined;
  if (typeof only === 'string') {
    map = instances.byString;
    key = only;
  } else if (only !== undefined && isRegexpArg(only)) {
    map = instances.byRegexp;
    key = only.regexp;
  } else {
    map = instances.byArgs;
    key = argsKey(args);
    if (key === null) return spec.create(args);
  }
  const found = map.get(key);
  if (found !== undefined) return found;
  const predicate = spec.create(args);
  if (cached >= MAX_CACHED) {
    for (const m of cache.values()) {
      m.byString.clear();
      m.byRegexp.clear();
      m.byArgs.clear();
    }
    cached = 0;
  }
  map.set(key, predicate);
  cached++;
  return predicate;
}

const checksOf = new WeakMap<Predicate, readonly Predicate[]>();

/** `[predicate]`, one frozen array per predicate (see Candidate.hostChecks). */
export function singleCheck(predicate: Predicate): readonly Predicate[] {
  let checks = checksOf.get(predicate);
  if (checks === undefined) {
    checks = Object.freeze([predicate]);
    checksOf.set(predicate, checks);
  }
  return checks;
}
