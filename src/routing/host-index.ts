/**
 * The first step of a lookup: which routes to consider for the request's host. The order is
 *   1. the exact-host bucket for the request's host name (lower case, no port, no trailing dot),
 *   2. the one-label wildcard bucket for what follows the host's first label,
 *   3. the bucket of routes without an indexable host condition,
 * and the first bucket that yields a match wins. Each step is one Map lookup, so the cost does
 * not grow with the number of hosts.
 */
import type { RequestView } from '../spec.js';
import type { PathPredicate } from '../predicates/path.js';
import type { RouteMatch } from './route.js';
import type { Candidate } from './candidate.js';
import { RouteBucket } from './bucket.js';
import { wildcardKey } from './host-pattern.js';

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
  private readonly exact = new Map<string, RouteBucket>();
  private readonly wildcard = new Map<string, RouteBucket>();
  private readonly hostless = new RouteBucket();

  constructor(placements: readonly Placement[]) {
    for (const p of placements) {
      if (p.hosts !== null) {
        for (const host of p.hosts) bucketFor(this.exact, host).add(p.candidate, p.path);
      } else if (p.wildcardSuffix !== null) {
        bucketFor(this.wildcard, p.wildcardSuffix).add(p.candidate, p.path);
      } else {
        this.hostless.add(p.candidate, p.path);
      }
    }
    for (const bucket of this.exact.values()) bucket.seal();
    for (const bucket of this.wildcard.values()) bucket.seal();
    this.hostless.seal();
  }

  // hot path: at most two Map lookups before the hostless routes
  lookup(req: RequestView): RouteMatch | null {
    const hostname = req.hostname;
    if (this.exact.size !== 0) {
      const bucket = this.exact.get(hostname);
      if (bucket !== undefined) {
        const found = bucket.lookup(req);
        if (found !== null) return found;
      }
    }
    if (this.wildcard.size !== 0) {
      const key = wildcardKey(hostname);
      const bucket = key === null ? undefined : this.wildcard.get(key);
      if (bucket !== undefined) {
        const found = bucket.lookup(req);
        if (found !== null) return found;
      }
    }
    return this.hostless.lookup(req);
  }
}

function bucketFor(map: Map<string, RouteBucket>, key: string): RouteBucket {
  let bucket = map.get(key);
  if (bucket === undefined) {
    bucket = new RouteBucket();
    map.set(key, bucket);
  }
  return bucket;
}
