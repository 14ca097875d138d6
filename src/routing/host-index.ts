/**
 * The first step of a lookup: which routes to consider for the request's host. The order is
 *   1. the exact-host bucket for the request's host name (lower case, no port, no trailing dot),
 *   2. the one-label wildcard bucket for what follows the host's first label,
 *   3. the bucket of routes without an indexable host condition,
 * and the first bucket that yields a match wins. Each step is one hash probe, so the cost does
 * not grow with the number of hosts: a Map for the exact host name (V8 hashes the request's
 * host string once and keeps the hash in it), and for the wildcard suffix, which is only part
 * of the host name, a table of our own hashes confirmed against the suffix stored at the start
 * of the bucket, so that no suffix string is cut per request.
 */
import type { RequestView } from '../spec.js';
import type { PathPredicate } from '../predicates/path.js';
import type { RouteMatch } from './route.js';
import type { Candidate } from './candidate.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { BUCKET_HEADER, BucketBuilder, bucketKeyLength, lookupBucket } from './bucket.js';
import { isBareHost, wildcardKeyStart } from './host-pattern.js';
import { MAX_CANDIDATES, type ParamShape, ParamShapes } from './path-tree.js';
import { WordWriter, hashText, slotCount, textEquals } from './words.js';

/** Where a compiled route goes in the index. */
export interface Placement {
  readonly candidate: Candidate;
  readonly path: PathPredicate | null;
  /** Exact host keys, or null. */
  readonly hosts: readonly string[] | null;
  /** Wildcard suffix (`example.org` for `*.example.org`), or null. */
  readonly wildcardSuffix: string | null;
}

export class HostIndex {
  private readonly words: Int32Array;
  /** By index: the leaf words name candidates by their position here. */
  private readonly candidates: readonly Candidate[];
  private readonly shapes: readonly ParamShape[];
  /** Bucket offsets by host name. */
  private readonly exact: Map<string, number>;
  /** (hashText of the suffix, bucket offset) pairs, open addressing; null when there are none. */
  private readonly wildcard: Int32Array | null;
  private readonly hostless: number;

  constructor(placements: readonly Placement[]) {
    if (placements.length > MAX_CANDIDATES) {
      throw new SkiffError(ErrorCode.InvalidRoute, `a route table holds at most ${MAX_CANDIDATES} routes`);
    }
    const exact = new Map<string, number[]>();
    const wildcard = new Map<string, number[]>();
    const hostless: number[] = [];
    const candidates: Candidate[] = new Array(placements.length);
    for (let i = 0; i < placements.length; i++) {
      const p = placements[i]!;
      candidates[i] = p.candidate;
      if (p.hosts !== null) {
        for (const host of p.hosts) groupFor(exact, host).push(i);
      } else if (p.wildcardSuffix !== null) {
        groupFor(wildcard, p.wildcardSuffix).push(i);
      } else {
        hostless.push(i);
      }
    }
    // one bucket at a time, so that each build-time tree is garbage before the next one
    const out = new WordWriter();
    const shapes = new ParamShapes();
    const write = (key: string, members: readonly number[]): number => {
      const bucket = new BucketBuilder(shapes);
      for (const i of members) bucket.add(candidates[i]!, i, placements[i]!.path);
      return bucket.write(out, key);
    };
    this.exact = new Map();
    // the Map compares the host name itself: the bucket need not keep it
    for (const [host, members] of exact) this.exact.set(host, write('', members));
    this.wildcard = slotsOf([...wildcard].map(([suffix, members]) => [suffix, write(suffix, members)] as const));
    this.hostless = hostless.length === 0 ? 0 : write('', hostless);
    this.words = out.finish();
    this.candidates = candidates;
    this.shapes = shapes.list;
  }

  // hot path: at most two hash probes before the hostless routes; no allocation
  lookup(req: RequestView): RouteMatch | null {
    const words = this.words;
    const host = req.host;
    const hostname = req.hostname;
    // a host that is its own host name (the common case): the index decides every host check
    const bareHost = isBareHost(host, hostname);
    if (this.exact.size !== 0) {
      const b = this.exact.get(hostname);
      if (b !== undefined) {
        const found = lookupBucket(words, this.candidates, this.shapes, b, req, bareHost);
        if (found !== null) return found;
      }
    }
    if (this.wildcard !== null) {
      const from = wildcardKeyStart(hostname);
      const b = from === -1 ? 0 : findBucket(words, this.wildcard, hostname, from);
      if (b !== 0) {
        const found = lookupBucket(words, this.candidates, this.shapes, b, req, bareHost);
        if (found !== null) return found;
      }
    }
    if (this.hostless === 0) return null;
    return lookupBucket(words, this.candidates, this.shapes, this.hostless, req, bareHost);
  }
}

function groupFor(groups: Map<string, number[]>, key: string): number[] {
  let members = groups.get(key);
  if (members === undefined) {
    members = [];
    groups.set(key, members);
  }
  return members;
}

function slotsOf(buckets: readonly (readonly [string, number])[]): Int32Array | null {
  if (buckets.length === 0) return null;
  const size = slotCount(buckets.length);
  const slots = new Int32Array(2 * size);
  for (const [key, offset] of buckets) {
    const h = hashText(key, 0, key.length);
    let i = h & (size - 1);
    while (slots[2 * i + 1] !== 0) i = (i + 1) & (size - 1);
    slots[2 * i] = h;
    slots[2 * i + 1] = offset;
  }
  return slots;
}

/**
 * The wildcard bucket whose suffix is `text` from `from` to its end, 0 when none.
 * hot path: hashes the key once; reads a bucket only when its hash is the same.
 */
function findBucket(words: Int32Array, slots: Int32Array, text: string, from: number): number {
  const h = hashText(text, from, text.length);
  const length = text.length - from;
  const mask = (slots.length >> 1) - 1;
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const b = slots[2 * i + 1]!;
    if (b === 0) return 0;
    if (slots[2 * i] === h && bucketKeyLength(words, b) === length && textEquals(words, b + BUCKET_HEADER, length, text, from)) {
      return b;
    }
  }
}
