/**
 * The path tree of one host bucket: a radix tree over tree keys (`/a/:/b/*`), with Skipper's
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
}

const COLON = 58;
const STAR = 42;

class PathNode {
  /** Static text consumed on entering this node ('' for wildcard nodes and the root). */
  prefix: string;
  /** First character of each static child, parallel to `statics`: a scan over small ints. */
  readonly firstChars: number[] = [];
  readonly statics: PathNode[] = [];
  param: PathNode | null = null;
  free: PathNode | null = null;
  leaves: TreeLeaf[] | null = null;

  constructor(prefix: string) {
    this.prefix = prefix;
  }
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

function matchLeaves(leaves: readonly TreeLeaf[], req: RequestView): TreeLeaf | null {
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    if (leaf.candidate.accepts(req)) return leaf;
  }
  return null;
}

// hot path: recursion over the path string by index, no slicing until a match is built
function search(node: PathNode, path: string, pos: number, depth: number, req: RequestView): TreeLeaf | null {
  if (pos === path.length) return node.leaves === null ? null : matchLeaves(node.leaves, req);
  const c = path.charCodeAt(pos);
  const chars = node.firstChars;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== c) continue;
    const child = node.statics[i]!;
    if (path.startsWith(child.prefix, pos)) {
      const found = search(child, path, pos + child.prefix.length, depth, req);
      if (found !== null) return found;
    }
    break;
  }
  if (node.param !== null) {
    let end = path.indexOf('/', pos);
    if (end === -1) end = path.length;
    // a wildcard never takes an empty segment
    if (end > pos) {
      const found = search(node.param, path, end, depth + 1, req);
      if (found !== null) {
        paramBounds[depth * 2] = pos;
        paramBounds[depth * 2 + 1] = end;
        return found;
      }
    }
  }
  const free = node.free;
  if (free !== null && free.leaves !== null) {
    const found = matchLeaves(free.leaves, req);
    if (found !== null) {
      freeStart = pos;
      return found;
    }
  }
  return null;
}

export class PathTree {
  private readonly root = new PathNode('');
  private readonly leafNodes: PathNode[] = [];
  private empty = true;

  get isEmpty(): boolean {
    return this.empty;
  }

  /** Adds a route at a tree key produced by the path pattern parser. */
  insert(key: string, leaf: TreeLeaf): void {
    let node = this.root;
    let i = 0;
    while (i < key.length) {
      const c = key.charCodeAt(i);
      if (c === COLON) {
        node = node.param ??= new PathNode('');
        i++;
      } else if (c === STAR) {
        node = node.free ??= new PathNode('');
        break;
      } else {
        let end = i + 1;
        while (end < key.length && key.charCodeAt(end) !== COLON && key.charCodeAt(end) !== STAR) end++;
        node = insertStatic(node, key, i, end);
        i = end;
      }
    }
    if (node.leaves === null) {
      node.leaves = [];
      this.leafNodes.push(node);
    }
    node.leaves.push(leaf);
    this.empty = false;
  }

  /** Sorts every leaf list by weight, then definition order. Call once, after the inserts. */
  seal(): void {
    for (const node of this.leafNodes) node.leaves!.sort((a, b) => compareCandidates(a.candidate, b.candidate));
  }

  // hot path: returns the shared RouteMatch when the route has no wildcards
  lookup(req: RequestView): RouteMatch | null {
    const path = req.path;
    const leaf = search(this.root, path, 0, 0, req);
    if (leaf === null) return null;
    const names = leaf.paramNames;
    if (names.length === 0 && leaf.freeName === null) return leaf.candidate.match;
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

/** Walks (and splits where needed) the static children for key[start, end). */
function insertStatic(node: PathNode, key: string, start: number, end: number): PathNode {
  let i = start;
  while (i < end) {
    const c = key.charCodeAt(i);
    const index = node.firstChars.indexOf(c);
    if (index === -1) {
      const child = new PathNode(key.slice(i, end));
      node.firstChars.push(c);
      node.statics.push(child);
      return child;
    }
    let child = node.statics[index]!;
    const prefix = child.prefix;
    let common = 0;
    while (common < prefix.length && i + common < end && prefix.charCodeAt(common) === key.charCodeAt(i + common)) common++;
    if (common < prefix.length) {
      const middle = new PathNode(prefix.slice(0, common));
      child.prefix = prefix.slice(common);
      middle.firstChars.push(child.prefix.charCodeAt(0));
      middle.statics.push(child);
      node.statics[index] = middle;
      child = middle;
    }
    node = child;
    i += common;
  }
  return node;
}
