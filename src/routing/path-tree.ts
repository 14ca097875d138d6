/**
 * The path tree of one host bucket: a tree of path segments over tree keys (`/a/:/b/*`), with
 * Skipper's lookup order at every node: the static child first, then the `:` child, then the
 * free wildcard, backtracking to the next option when no route of a leaf accepts the request.
 * Wildcard names live on the routes, not the nodes, so `/r/:id` and `/r/:rid` share a node and
 * each route still gets its own names.
 *
 * The tree is built from objects, then written once into the table's words (words.ts) and
 * searched there. A run of static nodes with nothing else on them (no leaves, no wildcard child,
 * one static child) is written as one node whose label holds all their segments (`a/b/c`): the
 * search could not do anything else at them, and a lookup then reads one node instead of one
 * per segment.
 *
 * Node record, at offset n:
 *   n+0  label length L (UTF-16 units; 0 for a root, `:` or `*` node)
 *   n+1  static entries S << 1 | 1 when they form a hash table (S slots) instead of a list
 *   n+2  offset of the `:` child, 0 for none
 *   n+3  offset of the `*` child, 0 for none
 *   n+4  leaf count K
 *   then the label (textWords(L) words); the K leaves in match order, two words each: a leaf
 *   word and the id of the route's wildcard names in ParamShapes; and the S static entries as
 *   (signature of the child's first segment, child offset) pairs, a list keyed by length and
 *   first unit or a hash table keyed by hashText. The child's label then confirms the match.
 */
import type { RequestView } from '../spec.js';
import type { RouteMatch } from './route.js';
import type { Candidate } from './candidate.js';
import { compareCandidates } from './candidate.js';
import { MAX_PATH_PARAMS, type PathPattern } from '../predicates/path-pattern.js';
import { type WordWriter, hashText, slotCount, textEquals, textWords } from './words.js';

const LABEL = 0;
const STATICS = 1;
const PARAM = 2;
const FREE = 3;
const LEAVES = 4;
const NODE_HEADER = 5;
const LEAF_WORDS = 2;

/** Static children up to this many are scanned as a list; more get a hash table. */
const LIST_MAX = 8;

/**
 * Leaf word: the candidate's index in the table (`word >>> LEAF_INDEX_SHIFT`) and what the
 * lookup needs to know without reading the candidate.
 */
export const LEAF_PLAIN = 1; // no wildcard in the route's path: the candidate is the match
export const LEAF_PREDICATES = 2; // conditions left to evaluate on every attempt
export const LEAF_HOST_CHECKS = 4; // Host regexps to evaluate for a host that is not bare
const LEAF_FREE_AT_BASE = 8; // a subtree at its base: the remainder is "/"
export const LEAF_INDEX_SHIFT = 4;
/** Candidates a table can index in a leaf word. */
export const MAX_CANDIDATES = 2 ** (31 - LEAF_INDEX_SHIFT);

/** The flags of a candidate's leaf words that do not depend on the tree position. */
export function candidateFlags(candidate: Candidate): number {
  return (candidate.predicates.length !== 0 ? LEAF_PREDICATES : 0) | (candidate.hostChecks !== null ? LEAF_HOST_CHECKS : 0);
}

/** The wildcard names of a route's path, in the order the tree binds them. */
export interface ParamShape {
  readonly names: readonly string[];
  readonly free: string | null;
}

/**
 * The distinct ParamShapes of one table, by id (0: no wildcards). Routes share them, so a lookup
 * that binds parameters reads a few objects that stay in the caches rather than the route's own
 * pattern. The names are internalized strings, which V8 stores as property names directly
 * instead of looking each one up in its string table on every match.
 */
export class ParamShapes {
  readonly list: ParamShape[] = [{ names: [], free: null }];
  private readonly ids = new Map<string, number>();

  id(pattern: PathPattern): number {
    const { paramNames, freeName } = pattern;
    if (paramNames.length === 0 && freeName === null) return 0;
    let key = freeName === null ? '-' : `${freeName.length}:${freeName}`;
    for (const name of paramNames) key += `${name.length}:${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      const names = Object.freeze(paramNames.map(internalized));
      this.list.push(Object.freeze({ names, free: freeName === null ? null : internalized(freeName) }));
      this.ids.set(key, id);
    }
    return id;
  }
}

/** The internalized string equal to `name` (property keys are internalized). */
function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0]!;
}

interface TreeLeaf {
  readonly candidate: Candidate;
  readonly word: number;
  readonly shape: number;
}

/**
 * Most nodes have a single static child, kept in two fields; a Map holds them once there are
 * more (fewer objects to build). A Map never shrinks back, so `onlyKey !== null` means exactly
 * one static child.
 */
class TreeNode {
  onlyKey: string | null = null;
  onlyChild: TreeNode | null = null;
  statics: Map<string, TreeNode> | null = null;
  param: TreeNode | null = null;
  free: TreeNode | null = null;
  leaves: TreeLeaf[] | null = null;

  staticChild(segment: string): TreeNode {
    if (this.onlyKey === segment) return this.onlyChild!;
    if (this.onlyKey === null && this.statics === null) {
      this.onlyKey = segment;
      this.onlyChild = new TreeNode();
      return this.onlyChild;
    }
    if (this.statics === null) {
      this.statics = new Map([[this.onlyKey!, this.onlyChild!]]);
      this.onlyKey = null;
      this.onlyChild = null;
    }
    let child = this.statics.get(segment);
    if (child === undefined) {
      child = new TreeNode();
      this.statics.set(segment, child);
    }
    return child;
  }

  addLeaf(leaf: TreeLeaf): void {
    (this.leaves ??= []).push(leaf);
  }
}

const COLON = 58;
const STAR = 42;
const SLASH = 47;

/** Collects the routes of one bucket, then writes their tree into the table's words. */
export class PathTreeBuilder {
  private readonly root = new TreeNode();
  private empty = true;

  constructor(private readonly shapes: ParamShapes) {}

  /**
   * Adds a route by its Path or PathSubtree pattern; `word` holds its index and candidateFlags.
   * A subtree is placed at the keys treeKeys() names: its base, the base with a trailing slash,
   * and the free wildcard below.
   */
  add(candidate: Candidate, word: number, pattern: PathPattern, subtree: boolean): void {
    const shape = this.shapes.id(pattern);
    const leaf = (flags: number): TreeLeaf => ({ candidate, word: word | flags, shape });
    this.empty = false;
    if (!subtree) {
      this.nodeAt(pattern.key).addLeaf(leaf(shape === 0 ? LEAF_PLAIN : 0));
      return;
    }
    // a subtree matched at its base or base + "/" has no remainder in the path: it is "/"
    const base = pattern.key === '' ? this.root : this.nodeAt(pattern.key);
    if (pattern.key !== '') base.addLeaf(leaf(LEAF_FREE_AT_BASE));
    base.staticChild('').addLeaf(leaf(LEAF_FREE_AT_BASE));
    (base.free ??= new TreeNode()).addLeaf(leaf(0));
  }

  /** The node of a tree key (`/a/:/b/*`), made as needed. */
  private nodeAt(key: string): TreeNode {
    let node = this.root;
    let start = 1;
    while (start <= key.length) {
      let end = key.indexOf('/', start);
      if (end === -1) end = key.length;
      const c = end - start === 1 ? key.charCodeAt(start) : 0;
      if (c === COLON) node = node.param ??= new TreeNode();
      else if (c === STAR) node = node.free ??= new TreeNode();
      else node = node.staticChild(key.slice(start, end));
      start = end + 1;
    }
    return node;
  }

  /** Writes the tree; returns the root's offset, 0 when no route was added. */
  write(out: WordWriter): number {
    return this.empty ? 0 : writeNode(out, this.root, '');
  }
}

function writeNode(out: WordWriter, node: TreeNode, label: string): number {
  const leaves = node.leaves ?? NO_LEAVES;
  if (leaves.length > 1) leaves.sort((a, b) => compareCandidates(a.candidate, b.candidate));
  const count = node.onlyKey !== null ? 1 : (node.statics?.size ?? 0);
  const hashed = count > LIST_MAX;
  const slots = hashed ? slotCount(count) : count;
  const labelWords = textWords(label.length);
  const at = out.reserve(NODE_HEADER + labelWords + LEAF_WORDS * leaves.length + 2 * slots);
  out.set(at + LABEL, label.length);
  out.set(at + STATICS, (slots << 1) | (hashed ? 1 : 0));
  out.set(at + LEAVES, leaves.length);
  out.setText(at + NODE_HEADER, label);
  const leafAt = at + NODE_HEADER + labelWords;
  for (let i = 0; i < leaves.length; i++) {
    out.set(leafAt + LEAF_WORDS * i, leaves[i]!.word);
    out.set(leafAt + LEAF_WORDS * i + 1, leaves[i]!.shape);
  }
  const entries = new StaticEntries(out, leafAt + LEAF_WORDS * leaves.length, slots, hashed);
  if (node.onlyKey !== null) entries.add(node.onlyKey, node.onlyChild!);
  else node.statics?.forEach((child, segment) => entries.add(segment, child));
  if (node.param !== null) out.set(at + PARAM, writeNode(out, node.param, ''));
  if (node.free !== null) out.set(at + FREE, writeNode(out, node.free, ''));
  return at;
}

const NO_LEAVES: TreeLeaf[] = [];

/** Writes a node's static children and fills its entries (list or hash table) with them. */
class StaticEntries {
  private next = 0;
  private readonly taken: Uint8Array | null;

  constructor(
    private readonly out: WordWriter,
    private readonly at: number,
    private readonly slots: number,
    private readonly hashed: boolean,
  ) {
    this.taken = hashed ? new Uint8Array(slots) : null;
  }

  add(segment: string, child: TreeNode): void {
    // a node where the search has no choice joins its only child's label
    let label = segment;
    let target = child;
    while (target.onlyKey !== null && target.leaves === null && target.param === null && target.free === null) {
      label += '/' + target.onlyKey;
      target = target.onlyChild!;
    }
    const sig = this.hashed ? hashText(segment, 0, segment.length) : listSignature(segment, 0, segment.length);
    let slot = this.next++;
    const taken = this.taken;
    if (taken !== null) {
      const mask = this.slots - 1;
      slot = sig & mask;
      while (taken[slot] === 1) slot = (slot + 1) & mask;
      taken[slot] = 1;
    }
    this.out.set(this.at + 2 * slot, sig);
    this.out.set(this.at + 2 * slot + 1, writeNode(this.out, target, label));
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

/**
 * The match for the leaf at `leaf` found by the last search of `path`: the candidate itself when
 * its path has no wildcards, else a new match with the parameters.
 */
export function treeMatch(
  words: Int32Array,
  candidates: readonly Candidate[],
  shapes: readonly ParamShape[],
  leaf: number,
  path: string,
): RouteMatch {
  const word = words[leaf]!;
  const candidate = candidates[word >>> LEAF_INDEX_SHIFT]!;
  if ((word & LEAF_PLAIN) !== 0) return candidate;
  const shape = shapes[words[leaf + 1]!]!;
  const names = shape.names;
  const params = new Params();
  for (let i = 0; i < names.length; i++) {
    params[names[i]!] = path.slice(paramBounds[i * 2]!, paramBounds[i * 2 + 1]!);
  }
  if (shape.free !== null) {
    // the remainder keeps its leading slash, as in Skipper: `/foo/*rest` on `/foo/a/b` → `/a/b`
    params[shape.free] = (word & LEAF_FREE_AT_BASE) !== 0 ? '/' : path.slice(freeStart - 1);
  }
  return { route: candidate.route, params };
}

/**
 * The offset of the first leaf of node `n` whose candidate accepts the request, -1 when none.
 * `bareHost`: the request's host is its own host name, so the index decided every host check
 * (see Candidate.hostChecks); otherwise a candidate with host checks decides them itself.
 * hot path: reads the candidate only when it has conditions left.
 */
function matchLeaves(words: Int32Array, candidates: readonly Candidate[], n: number, req: RequestView, bareHost: boolean): number {
  const count = words[n + LEAVES]!;
  const first = n + NODE_HEADER + textWords(words[n + LABEL]!);
  for (let i = 0; i < count; i++) {
    const at = first + LEAF_WORDS * i;
    const word = words[at]!;
    const check = bareHost ? word & LEAF_PREDICATES : word & (LEAF_PREDICATES | LEAF_HOST_CHECKS);
    if (check === 0 || candidates[word >>> LEAF_INDEX_SHIFT]!.accepts(req)) return at;
  }
  return -1;
}

/**
 * Enters static child `c` at `start`: its label must match the path there and end at a segment
 * boundary. Returns a leaf's offset or -1.
 */
function enter(
  words: Int32Array,
  candidates: readonly Candidate[],
  c: number,
  path: string,
  start: number,
  depth: number,
  req: RequestView,
  bareHost: boolean,
): number {
  const length = words[c + LABEL]!;
  const end = start + length;
  if (end > path.length || !textEquals(words, c + NODE_HEADER, length, path, start)) return -1;
  if (end === path.length) return matchLeaves(words, candidates, c, req, bareHost);
  if (path.charCodeAt(end) !== SLASH) return -1;
  return search(words, candidates, c, path, end + 1, depth, req, bareHost);
}

/**
 * Depth-first search below node `n` for the path from `start` (path[start - 1] is the `/` in
 * front of the segment to place). `depth` counts the `:` segments taken so far. Returns a leaf's
 * offset or -1; on success paramBounds and freeStart say where the wildcards matched.
 * hot path: no allocation; the segment is hashed only at a node with many static children.
 */
export function search(
  words: Int32Array,
  candidates: readonly Candidate[],
  n: number,
  path: string,
  start: number,
  depth: number,
  req: RequestView,
  bareHost: boolean,
): number {
  const length = path.length;
  let end = path.indexOf('/', start);
  if (end === -1) end = length;
  const statics = words[n + STATICS]!;
  if (statics !== 0) {
    const slots = statics >> 1;
    const entries = n + NODE_HEADER + textWords(words[n + LABEL]!) + LEAF_WORDS * words[n + LEAVES]!;
    if ((statics & 1) === 0) {
      const sig = listSignature(path, start, end);
      for (let i = 0; i < slots; i++) {
        if (words[entries + 2 * i] !== sig) continue;
        const found = enter(words, candidates, words[entries + 2 * i + 1]!, path, start, depth, req, bareHost);
        if (found !== -1) return found;
      }
    } else {
      const sig = hashText(path, start, end);
      const mask = slots - 1;
      for (let i = sig & mask; ; i = (i + 1) & mask) {
        const child = words[entries + 2 * i + 1]!;
        if (child === 0) break;
        if (words[entries + 2 * i] !== sig) continue;
        const found = enter(words, candidates, child, path, start, depth, req, bareHost);
        if (found !== -1) return found;
      }
    }
  }
  const param = words[n + PARAM]!;
  // a wildcard never takes an empty segment
  if (param !== 0 && end > start) {
    const found =
      end >= length
        ? matchLeaves(words, candidates, param, req, bareHost)
        : search(words, candidates, param, path, end + 1, depth + 1, req, bareHost);
    if (found !== -1) {
      paramBounds[depth * 2] = start;
      paramBounds[depth * 2 + 1] = end;
      return found;
    }
  }
  // the free wildcard needs a non-empty remainder
  const free = words[n + FREE]!;
  if (free !== 0 && start < length) {
    const found = matchLeaves(words, candidates, free, req, bareHost);
    if (found !== -1) {
      freeStart = start;
      return found;
    }
  }
  return -1;
}

/**
 * The key of a static child in a short list: length and first unit of its first segment. The
 * label decides; this only spares comparing it for most siblings without hashing the segment.
 */
function listSignature(text: string, start: number, end: number): number {
  return end > start ? ((end - start) << 16) | text.charCodeAt(start) : 0;
}
