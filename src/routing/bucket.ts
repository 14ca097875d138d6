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

export class RouteBucket {
  private readonly tree = new PathTree();
  private readonly others: Candidate[] = [];

  add(candidate: Candidate, path: PathPredicate | null): void {
    if (path === null) {
      this.others.push(candidate);
      return;
    }
    const { pattern, subtree } = path;
    const keys = treeKeys(pattern, subtree);
    for (const key of keys) {
      // a subtree matched at its base or base + "/" has no remainder in the path: it is "/"
      const atBase = subtree && !key.endsWith('*');
      this.tree.insert(key, { candidate, paramNames: pattern.paramNames, freeName: pattern.freeName, freeAtBase: atBase });
    }
  }

  seal(): void {
    this.tree.seal();
    this.others.sort(compareCandidates);
  }

  // hot path: the tree, then the routes without a path predicate
  lookup(req: RequestView): RouteMatch | null {
    if (!this.tree.isEmpty) {
      const found = this.tree.lookup(req);
      if (found !== null) return found;
    }
    const others = this.others;
    for (let i = 0; i < others.length; i++) {
      const candidate = others[i]!;
      if (candidate.accepts(req)) return candidate.match;
    }
    return null;
  }
}
