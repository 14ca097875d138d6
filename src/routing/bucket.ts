/**
 * The routes of one host key (or the hostless routes): a path tree for routes with `Path` or
 * `PathSubtree`, then a list for routes without, tried only when the tree finds nothing, as in
 * Skipper. Both are ordered once, when the bucket is written.
 *
 * Bucket record, at offset b of the table's words:
 *   b+0  key length H: the wildcard suffix, which the host index confirms its hash probe
 *        against; 0 for exact-host buckets (their Map compares the name) and the hostless one
 *   b+1  count O of routes without a path condition
 *   b+2  offset of the path tree's root, 0 when no route has a path condition
 *   then the key (textWords(H) words), the O leaf words of the routes without a path in match
 *   order, and the tree, root first: a lookup goes on from the bucket's header to the root
 *   without leaving the bucket's few cache lines.
 */
import type { RequestView } from '../spec.js';
import type { RouteMatch } from './route.js';
import type { PathPredicate } from '../predicates/path.js';
import { type Candidate, compareCandidates } from './candidate.js';
import {
  LEAF_HOST_CHECKS,
  LEAF_INDEX_SHIFT,
  LEAF_PLAIN,
  LEAF_PREDICATES,
  type ParamShape,
  type ParamShapes,
  PathTreeBuilder,
  candidateFlags,
  search,
  treeMatch,
} from './path-tree.js';
import { type WordWriter, textWords } from './words.js';

const KEY_LENGTH = 0;
const OTHERS = 1;
const ROOT = 2;
export const BUCKET_HEADER = 3;

/** Collects one bucket's routes while the table is built. */
export class BucketBuilder {
  private readonly tree: PathTreeBuilder;
  private readonly others: { candidate: Candidate; word: number }[] = [];

  constructor(shapes: ParamShapes) {
    this.tree = new PathTreeBuilder(shapes);
  }

  /** Adds the candidate at `index` of the table's candidates, placed by its path condition. */
  add(candidate: Candidate, index: number, path: PathPredicate | null): void {
    const word = (index << LEAF_INDEX_SHIFT) | candidateFlags(candidate);
    if (path === null) this.others.push({ candidate, word: word | LEAF_PLAIN });
    else this.tree.add(candidate, word, path.pattern, path.subtree);
  }

  /** Writes the bucket under `key` and returns its offset. */
  write(out: WordWriter, key: string): number {
    const others = this.others;
    if (others.length > 1) others.sort((a, b) => compareCandidates(a.candidate, b.candidate));
    const keyWords = textWords(key.length);
    const at = out.reserve(BUCKET_HEADER + keyWords + others.length);
    out.set(at + KEY_LENGTH, key.length);
    out.set(at + OTHERS, others.length);
    out.setText(at + BUCKET_HEADER, key);
    for (let i = 0; i < others.length; i++) out.set(at + BUCKET_HEADER + keyWords + i, others[i]!.word);
    out.set(at + ROOT, this.tree.write(out));
    return at;
  }
}

/** Length of the key a bucket record was written under. */
export function bucketKeyLength(words: Int32Array, b: number): number {
  return words[b + KEY_LENGTH]!;
}

/**
 * The bucket's match for the request: the tree, then the routes without a path condition.
 * hot path: allocates only for routes with path wildcards
 */
export function lookupBucket(
  words: Int32Array,
  candidates: readonly Candidate[],
  shapes: readonly ParamShape[],
  b: number,
  req: RequestView,
  bareHost: boolean,
): RouteMatch | null {
  const root = words[b + ROOT]!;
  if (root !== 0) {
    const path = req.path;
    const leaf = search(words, candidates, root, path, 1, 0, req, bareHost);
    if (leaf !== -1) return treeMatch(words, candidates, shapes, leaf, path);
  }
  const count = words[b + OTHERS]!;
  const first = b + BUCKET_HEADER + textWords(words[b + KEY_LENGTH]!);
  for (let i = 0; i < count; i++) {
    const word = words[first + i]!;
    const check = bareHost ? word & LEAF_PREDICATES : word & (LEAF_PREDICATES | LEAF_HOST_CHECKS);
    const candidate = candidates[word >>> LEAF_INDEX_SHIFT]!;
    if (check === 0 || candidate.accepts(req)) return candidate;
  }
  return null;
}
