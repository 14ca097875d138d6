/**
 * The path tree of one host bucket: a tree of path segments over tree keys (`/a/:/b/*`), with Skipper's
 * lookup order at every node: the static child first, then the `:` child, then the free
 * wildcard, backtracking to the next option when no route of a leaf accepts the request.
 * Wildcard names live on the leaves, not the nodes, so `/r/:id` and `/r/:rid` share a node and
 * each route still gets its own names.
 */
import type { RequestView } from '../spec.js';
import type { RouteMatch } from './route.js';
import type { Candidate } from './candidate.js';
import { compareCandidates } from './candidate.js';
import { MAX_PATH_PARAMS } from '../predicates/path-pattern.js';

/** One route at one tree position, with the names its wildcards take there. */
export interface TreeLeaf {
  readonly candidate: Candidate;
  /** Names of the `:` wildcards on the way to this position, in order. */
  readonly paramNames: readonly string[];
  /** Name for the free wildcard or subtree remainder; null when the route has none. */
  readonly freeName: string | null;
  /** A subtree matched at its base (`/foo` or `/foo/`): the remainder is `/`. */
  readonly freeAtBase: boolean;
  /** No wildcard at all: the candidate itself is the match (read here, not from the arrays). */
  readonly plain: boolean;
}

const COLON = 58;
const STAR = 42;

/**
 * One path segment position. Static children are keyed by the whole segment text. Most nodes
 * have a single static child, kept in two fields and compared in place; a Map holds them once
 * there are more (fewer objects to build and to touch).
 */
class PathNode {
  onlyKey: string | null = null;
  onlyChild: PathNode | null = null;
  statics: Map<string, PathNode> | null = null;
  param: PathNode | null = null;
  free: PathNode | null = null;
  leaves: TreeLeaf[] | null = null;
}

/**
 * Where the matched wildcards were found, written on the way back from a successful search.
 * Lookups are synchronous and never nested, so one module-wide scratch area is safe and spares
 * an allocation per lookup.
 */
const paramBounds = new Int32Array(MAX_PATH_PARAMS * 2);
let freeStart = 0;

/** Prototype-less objects with a stable shape for path parameters (no `__proto__` keys). */
const Params = function Params() {} as unknown as new () => Record<string, string>;
Params.prototype = Object.create(null);

function matchLeaves(leaves: readonly TreeLeaf[] | null, req: RequestView): TreeLeaf | null {
  if (leaves === null) return null;
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    if (leaf.candidate.accepts(req)) return leaf;
  }
  return null;
}

/**
 * Depth-first search from `node`, whose segments end just before `start` (path[start - 1] is
 * the `/` in front of the current segment). One node per segment keeps the number of objects a
 * lookup touches small, which is what costs time once the table outgrows the CPU caches.
 * hot path: slices a segment only to probe a node with several static children.
 */
function search(node: PathNode, path: string, start: number, depth: number, req: RequestView): TreeLeaf | null {
  let end = path.indexOf('/', start);
  const last = end === -1;
  if (last) end = path.length;
  let child: PathNode | undefined;
  const onlyKey = node.onlyKey;
  if (onlyKey !== null) {
    if (onlyKey.length === end - start && path.startsWith(onlyKey, start)) child = node.onlyChild!;
  } else if (node.statics !== null) {
    child = node.statics.get(path.slice(start, end));
  }
  if (child !== undefined) {
    const found = last ? matchLeaves(child.leaves, req) : search(child, path, end + 1, depth, req);
    if (found !== null) return found;
  }
  const param = node.param;
  // a wildcard never takes an empty segment
  if (param !== null && end > start) {
    const found = last ? matchLeaves(param.leaves, req) : search(param, path, end + 1, depth + 1, req);
    if (found !== null) {
      paramBounds[depth * 2] = start;
      paramBounds[depth * 2 + 1] = end;
      return found;
    }
  }
  // the free wildcard needs a non-empty remainder
  if (node.free !== null && start < path.length) {
    const found = matchLeaves(node.free.leaves, req);
    if (found !== null) {
      freeStart = start;
      return found;
    }
  }
  return null;
}

export class PathTree {
  private readonly root = new PathNode();
  /** Leaves of keys without wildcards by their full path: most lookups end here, in one probe. */
  private readonly staticPaths = new Map<string, TreeLeaf[]>();
  private readonly leafLists: TreeLeaf[][] = [];
  private empty = true;

  get isEmpty(): boolean {
    return this.empty;
  }

  /** Adds a route at a tree key produced by the path pattern parser (`/a/:/b/*`). */
  insert(key: string, leaf: TreeLeaf): void {
    let node = this.root;
    const segments = key.split('/');
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i]!;
      const c = segment.length === 1 ? segment.charCodeAt(0) : 0;
      if (c === COLON) {
        node = node.param ??= new PathNode();
      } else if (c === STAR) {
        node = node.free ??= new PathNode();
      } else {
        node = staticChild(node, segment);
      }
    }
    if (node.leaves === null) {
      node.leaves = [];
      this.leafLists.push(node.leaves);
      if (key.indexOf(':') === -1 && key.indexOf('*') === -1) this.staticPaths.set(key, node.leaves);
    }
    node.leaves.push(leaf);
    this.empty = false;
  }

  /** Sorts every leaf list by weight, then definition order. Call once, after the inserts. */
  seal(): void {
    for (const leaves of this.leafLists) leaves.sort((a, b) => compareCandidates(a.candidate, b.candidate));
  }

  // hot path: a static path is one Map probe; the shared RouteMatch is returned when the route
  // has no wildcards
  lookup(req: RequestView): RouteMatch | null {
    const path = req.path;
    // the all-static position is the first the tree order would try, so a match there wins
    let leaf = matchLeaves(this.staticPaths.get(path) ?? null, req);
    if (leaf === null) {
      leaf = search(this.root, path, 1, 0, req);
      if (leaf === null) return null;
    }
    if (leaf.plain) return leaf.candidate;
    const names = leaf.paramNames;
    const params = new Params();
    for (let i = 0; i < names.length; i++) {
      params[names[i]!] = path.slice(paramBounds[i * 2]!, paramBounds[i * 2 + 1]!);
    }
    if (leaf.freeName !== null) {
      // the remainder keeps its leading slash, as in Skipper: `/foo/*rest` on `/foo/a/b` → `/a/b`
      params[leaf.freeName] = leaf.freeAtBase ? '/' : path.slice(freeStart - 1);
    }
    return { route: leaf.candidate.route, params };
  }
}

function staticChild(node: PathNode, segment: string): PathNode {
  if (node.onlyKey === segment) return node.onlyChild!;
  if (node.onlyKey === null && node.statics === null) {
    node.onlyKey = segment;
    node.onlyChild = new PathNode();
    return node.onlyChild;
  }
  if (node.statics === null) {
    node.statics = new Map([[node.onlyKey!, node.onlyChild!]]);
    node.onlyKey = null;
    node.onlyChild = null;
  }
  let child = node.statics.get(segment);
  if (child === undefined) {
    child = new PathNode();
    node.statics.set(segment, child);
  }
  return child;
}
