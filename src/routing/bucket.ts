/**
 * The routes of one host key (or the hostless routes): a path tree for routes with `Path` or
 * `PathSubtree`, then a list for routes without, tried only when the tree finds nothing, as in
 * Skipper. Both are ordered once, when the bucket is sealed.
 */
import type { RequestView } from '../spec.js';
import type { RouteMatch } from './route.js';
import type { PathPredicate } from '../predicates/path.js';
import { treeKeys } from '../predicates/path-pattern.js';
import { type Candidate, compareCandidates } from './candidate.js';
import { PathTree } from './path-tree.js';

/**
 * Extends the tree rather than holding one so that a lookup reads the tree's fields from the
 * bucket object itself: one object less to fetch per request in a table too big for the cache.
 */
export class RouteBucket extends PathTree {
  private readonly others: Candidate[] = [];

  add(candidate: Candidate, path: PathPredicate | null): void {
    if (path === null) {
      this.others.push(candidate);
      return;
    }
    const { pattern, subtree } = path;
    const plain = pattern.paramNames.length === 0 && pattern.freeName === null;
    for (const key of treeKeys(pattern, subtree)) {
      // a subtree matched at its base or base + "/" has no remainder in the path: it is "/"
      const freeAtBase = subtree && !key.endsWith('*');
      this.insert(key, { candidate, paramNames: pattern.paramNames, freeName: pattern.freeName, freeAtBase, plain });
    }
  }

  override seal(): void {
    super.seal();
    this.others.sort(compareCandidates);
  }

  // hot path: the tree, then the routes without a path predicate
  override lookup(req: RequestView): RouteMatch | null {
    if (!this.isEmpty) {
      const found = super.lookup(req);
      if (found !== null) return found;
    }
    const others = this.others;
    for (let i = 0; i < others.length; i++) {
      const candidate = others[i]!;
      if (candidate.accepts(req)) return candidate;
    }
    return null;
  }
}
