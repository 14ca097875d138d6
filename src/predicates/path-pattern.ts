/**
 * Path patterns of `Path` and `PathSubtree`: `/static/:param/*free`. Parsed once into the shape
 * the path tree inserts (static text, one-segment params, a trailing free wildcard) with the
 * wildcard names kept apart, because names belong to the route, not to the tree node.
 */
import { invalidArgs } from '../errors.js';
import { cleanPath } from '../http/request-target.js';

/** The wildcard name a free wildcard gets when it has none (`/*`, `/**`, PathSubtree). */
export const FREE_WILDCARD_NAME = '*';

const NO_PARAMS: readonly string[] = Object.freeze([]);

/** Enough for any real path; bounds the matcher's per-lookup scratch space. */
export const MAX_PATH_PARAMS = 32;

export interface PathPattern {
  /** The pattern as written. */
  readonly source: string;
  /**
   * The tree key: the cleaned pattern with `:name` written as `:` and `*name` as `*`,
   * e.g. `/api/:/files/*`. For a subtree this is the base, without the free wildcard.
   */
  readonly key: string;
  /** Names of the one-segment wildcards, in order. */
  readonly paramNames: readonly string[];
  /** Name of the trailing free wildcard, null when there is none. */
  readonly freeName: string | null;
}

/**
 * Parses a `Path` pattern. Skipper's rules: the pattern is cleaned (`//`, `.`, `..`), a wildcard
 * takes a whole segment, a free wildcard comes last, and names are unique within the pattern.
 */
export function parsePathPattern(name: string, source: string): PathPattern {
  if (source === '') throw invalidArgs(name, 'the path must not be empty');
  const path = cleanPath(source);
  // without wildcards the key is the cleaned path itself (most patterns; a build has many)
  if (path.indexOf(':') === -1 && path.indexOf('*') === -1) {
    return { source, key: path, paramNames: NO_PARAMS, freeName: null };
  }
  const segments = path.split('/');
  let key = '';
  const paramNames: string[] = [];
  let freeName: string | null = null;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    key += '/';
    const first = segment.charCodeAt(0);
    if (first === 58 /* : */) {
      const param = segment.slice(1);
      if (param === '') throw invalidArgs(name, `a ":" wildcard needs a name in ${JSON.stringify(source)}`);
      checkName(name, source, param, paramNames, freeName);
      paramNames.push(param);
      key += ':';
      continue;
    }
    if (first === 42 /* * */) {
      if (i !== segments.length - 1) {
        throw invalidArgs(name, `a free wildcard must be the last segment in ${JSON.stringify(source)}`);
      }
      const free = segment === '*' || segment === '**' ? FREE_WILDCARD_NAME : segment.slice(1);
      checkName(name, source, free, paramNames, null);
      freeName = free;
      key += '*';
      continue;
    }
    if (segment.includes(':') || segment.includes('*')) {
      throw invalidArgs(name, `"*" or ":" in the middle of a path segment in ${JSON.stringify(source)}`);
    }
    key += segment;
  }
  if (paramNames.length + (freeName === null ? 0 : 1) > MAX_PATH_PARAMS) {
    throw invalidArgs(name, `more than ${MAX_PATH_PARAMS} wildcards in ${JSON.stringify(source)}`);
  }
  // most patterns have no `:` wildcard: one shared empty list instead of one per route
  return { source, key, paramNames: paramNames.length === 0 ? NO_PARAMS : paramNames, freeName };
}

/**
 * Parses a `PathSubtree` pattern: the base path (trailing slash and optional free wildcard
 * removed) and the name the remainder gets (`*` unless `/*name` is given).
 */
export function parseSubtreePattern(name: string, source: string): PathPattern {
  const parsed = parsePathPattern(name, source);
  let key = parsed.key;
  if (parsed.freeName !== null) key = key.slice(0, -2); // drop "/*"
  if (key.endsWith('/')) key = key.slice(0, -1);
  if (parsed.freeName === null && parsed.paramNames.includes(FREE_WILDCARD_NAME)) {
    throw invalidArgs(name, `wildcard name "*" is used twice in ${JSON.stringify(source)}`);
  }
  return { source, key, paramNames: parsed.paramNames, freeName: parsed.freeName ?? FREE_WILDCARD_NAME };
}

function checkName(name: string, source: string, param: string, seen: readonly string[], free: string | null): void {
  if (seen.includes(param) || param === free) {
    throw invalidArgs(name, `wildcard name "${param}" is used twice in ${JSON.stringify(source)}`);
  }
}

/**
 * The tree keys a pattern is inserted at. A subtree covers its base, the base with a trailing
 * slash and everything below (a free wildcard); `PathSubtree("/")` covers `/` and `/*`.
 */
export function treeKeys(pattern: PathPattern, subtree: boolean): string[] {
  if (!subtree) return [pattern.key];
  if (pattern.key === '') return ['/', '/*'];
  return [pattern.key, pattern.key + '/', pattern.key + '/*'];
}

/**
 * Tests one tree key against a cleaned request path, without the tree: a `:` takes one non-empty
 * segment, a trailing `*` a non-empty remainder. Used when a path predicate is evaluated alone.
 */
export function matchesTreeKey(key: string, path: string): boolean {
  let p = 0;
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    if (c === 58 /* : */) {
      const start = p;
      while (p < path.length && path.charCodeAt(p) !== 47) p++;
      if (p === start) return false;
      continue;
    }
    if (c === 42 /* * */) return p < path.length;
    if (p >= path.length || path.charCodeAt(p) !== c) return false;
    p++;
  }
  return p === path.length;
}
