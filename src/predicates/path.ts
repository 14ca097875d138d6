/**
 * The path family: `Path` and `PathSubtree` (placed in the matcher's path tree, which is how they
 * are normally evaluated) and `PathRegexp` (a regexp against the cleaned, decoded path).
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { expectCount, regexpArg, stringArg } from '../args.js';
import { PredicateName } from './names.js';
import { matchesTreeKey, parsePathPattern, parseSubtreePattern, treeKeys } from './path-pattern.js';
import type { PathPattern } from './path-pattern.js';

/**
 * A `Path` or `PathSubtree` condition. The table builder recognises this class and inserts the
 * pattern into the path tree instead of calling `match`; `match` serves evaluation on its own.
 */
export class PathPredicate implements Predicate {
  readonly pattern: PathPattern;
  readonly subtree: boolean;
  /** Made on the first match(): a table never calls it, and a big build has one per route. */
  private keys: readonly string[] | null = null;

  constructor(pattern: PathPattern, subtree: boolean) {
    this.pattern = pattern;
    this.subtree = subtree;
  }

  match(req: RequestView): boolean {
    const keys = (this.keys ??= treeKeys(this.pattern, this.subtree));
    for (let i = 0; i < keys.length; i++) {
      if (matchesTreeKey(keys[i]!, req.path)) return true;
    }
    return false;
  }
}

export class PathRegexpPredicate implements Predicate {
  readonly regexp: RegExp;

  constructor(regexp: RegExp) {
    this.regexp = regexp;
  }

  match(req: RequestView): boolean {
    return this.regexp.test(req.path);
  }
}

export const pathSpec: PredicateSpec = {
  name: PredicateName.Path,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one path pattern');
    return new PathPredicate(parsePathPattern(this.name, stringArg(this.name, args, 0, 'the path')), false);
  },
};

export const pathSubtreeSpec: PredicateSpec = {
  name: PredicateName.PathSubtree,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one path pattern');
    return new PathPredicate(parseSubtreePattern(this.name, stringArg(this.name, args, 0, 'the path')), true);
  },
};

export const pathRegexpSpec: PredicateSpec = {
  name: PredicateName.PathRegexp,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one regexp');
    return new PathRegexpPredicate(regexpArg(this.name, args, 0, 'the expression'));
  },
};
