/**
 * Predicates that many routes hold the same: the path predicates (`PathSubtree("/")` of thousands
 * of Ingresses), each host's `Host()` and the list of both that a rule path's routes start with.
 * Definitions are never changed once made, so routes of different Ingresses, and the translations
 * of one Ingress before and after a Service change, may hold the same objects. A full rebuild
 * (every Service changed) then makes no new predicate lists nor overlap keys for the rule paths
 * without annotation predicates (nearly all of them): what it keeps alive next to the previous
 * translation until that is let go is mostly what depends on the Services (backends, routes).
 *
 * Entries are kept by generation, as the endpoint cache does: one not asked for during a whole
 * generation is forgotten, so the predicates of deleted Ingresses do not pile up. A generation
 * ends once it has seen at least half as many keys as the previous one, so that translating a
 * handful of Ingresses (an endpoint change) does not drop everything the others would ask for.
 */
import type { Call } from '../../eskip/definition.js';
import { hostPredicate } from './hosts.js';
import { pathPredicate } from './paths.js';
import type { PathResult } from './paths.js';
import type { PathMode } from './types.js';

class Generations<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  get(key: K): V | undefined {
    let v = this.current.get(key);
    if (v !== undefined) return v;
    v = this.previous.get(key);
    if (v === undefined) return undefined;
    // moved, not copied: an entry is in one map only, so the two hold no more than the keys in use
    this.previous.delete(key);
    this.current.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.current.set(key, value);
  }

  make(key: K, make: (key: K) => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make(key);
      this.current.set(key, v);
    }
    return v;
  }

  rotate(): void {
    if (this.current.size === 0 || this.current.size * 2 < this.previous.size) return;
    this.previous = this.current;
    this.current = new Map();
  }
}

const MAX_PATHS_PER_HOST = 64;

export class SharedCalls {
  /** `[Host()]` by host. */
  private readonly hosts = new Generations<string, readonly Call[]>();
  /** By path mode and path type, then by path. */
  private readonly paths = new Map<PathMode, Map<string, Generations<string, PathResult>>>();
  /**
   * By the Host() call, each path of the host as the list `[Host(), path predicate]` followed by
   * the overlap key of its routes: one short array per host, lighter than a Map or an object per path.
   */
  private readonly rulePaths = new Generations<Call, (readonly Call[] | string)[]>();

  /** A new generation: see the module comment. */
  rotate(): void {
    this.hosts.rotate();
    this.rulePaths.rotate();
    for (const byType of this.paths.values()) for (const g of byType.values()) g.rotate();
  }

  /** `[Host()]` of a normalised host, one list for the same host. */
  host(host: string): readonly Call[] {
    return this.hosts.make(host, (h) => [hostPredicate(h)]);
  }

  /** {@link pathPredicate} of a non-empty path, the same result object for the same arguments. */
  path(pathType: string | undefined, path: string, mode: PathMode): PathResult {
    let byType = this.paths.get(mode);
    if (byType === undefined) {
      byType = new Map();
      this.paths.set(mode, byType);
    }
    const type = pathType ?? '';
    let g = byType.get(type);
    if (g === undefined) {
      g = new Generations();
      byType.set(type, g);
    }
    return g.make(path, () => pathPredicate(pathType, path, mode));
  }

  /**
   * For the routes of a rule path of a host, with no other predicate: the predicates `[host, path]`
   * and the overlap key (made by `key` the first time), the same ones for the same two calls.
   */
  rulePath(host: Call, path: Call, key: () => string): RulePath {
    const entries = this.rulePaths.get(host);
    if (entries !== undefined) {
      for (let i = 0; i < entries.length; i += 2) {
        const predicates = entries[i] as readonly Call[];
        if (predicates[1] === path) return { predicates, key: entries[i + 1] as string };
      }
    }
    const found = { predicates: [host, path], key: key() };
    // Arrays of the exact size (a pushed-to one keeps spare room); a host's paths are few, and
    // paths gone for good must not pile up under a host that stays.
    const own = [found.predicates, found.key];
    this.rulePaths.set(host, entries === undefined || entries.length >= 2 * MAX_PATHS_PER_HOST ? own : [...entries, ...own]);
    return found;
  }
}

export interface RulePath {
  readonly predicates: readonly Call[];
  readonly key: string;
}
