/**
 * Ingress paths as path predicates.
 *
 * - `Exact /foo` → `Path("/foo")`: the path tree matches it literally, so `/foo/` does not match.
 * - `Prefix /foo` and `Prefix /foo/` → `PathSubtree("/foo")`: `/foo`, `/foo/` and `/foo/...` but
 *   not `/foobar`, which is the Ingress element-wise prefix. The rule's trailing slash is dropped
 *   because the Ingress spec ignores it on either side.
 * - `ImplementationSpecific` follows the path mode (see {@link PathMode}).
 *
 * Precedence between paths is structural in the path tree: a longer prefix sits deeper and wins,
 * and at equal length the static `Path` node wins over the `PathSubtree` wildcard (Exact before
 * Prefix), so no `Weight()` is needed for Exact and Prefix paths. `PathRegexp` routes (the
 * regexp modes) are not in the tree: as in Skipper, the matcher tries them only when no tree route
 * of the host matches, so a host that mixes them with a Prefix `/` path sends everything to the
 * latter; `path-prefix` mode avoids that.
 */
import type { Call } from '../../eskip/definition.js';
import { compileRegexp } from '../../predicates/regexp.js';
import type { PathMode } from './types.js';

export type PathResult =
  | { readonly ok: true; readonly predicate: Call | undefined }
  | { readonly ok: false; readonly reason: string };

/** The predicate for one Ingress path; `predicate` is undefined when the rule has no path. */
export function pathPredicate(pathType: string | undefined, path: string | undefined, mode: PathMode): PathResult {
  if (path === undefined || path === '') return { ok: true, predicate: undefined };
  switch (pathType) {
    case 'Exact':
    case 'Prefix': {
      const problem = literalPathProblem(pathType, path);
      if (problem !== undefined) return { ok: false, reason: problem };
      return pathType === 'Exact'
        ? { ok: true, predicate: { name: 'Path', args: [path] } }
        : { ok: true, predicate: { name: 'PathSubtree', args: [trimTrailingSlashes(path)] } };
    }
    case undefined:
    case '':
    case 'ImplementationSpecific':
      return implementationSpecific(path, mode);
    default:
      return { ok: false, reason: `unknown pathType "${pathType}"` };
  }
}

function implementationSpecific(path: string, mode: PathMode): PathResult {
  switch (mode) {
    case 'path-prefix': {
      const problem = literalPathProblem('ImplementationSpecific', path);
      if (problem !== undefined) return { ok: false, reason: `${problem} in path-prefix mode` };
      return { ok: true, predicate: { name: 'PathSubtree', args: [trimTrailingSlashes(path)] } };
    }
    case 'path-regexp':
      return regexpPredicate(path);
    case 'kubernetes-ingress':
      return regexpPredicate(path === '/' ? '^/' : `^(${path})`);
  }
}

/**
 * Literal paths go into the path tree as `Path`/`PathSubtree` patterns, where a segment starting
 * with `:` or `*` is a wildcard; such an Ingress path would match far more than it says.
 */
function literalPathProblem(pathType: string, path: string): string | undefined {
  if (!path.startsWith('/')) return `${pathType} path "${path}" must start with "/"`;
  if (/\/[:*]/.test(path)) return `${pathType} path "${path}" has a segment starting with ":" or "*", which skiff cannot match literally`;
  return undefined;
}

/** Compiled here the way the PathRegexp predicate compiles it (RE2 syntax), so a bad one is caught early. */
function regexpPredicate(source: string): PathResult {
  try {
    compileRegexp('PathRegexp', source);
  } catch (err) {
    // Keep only the engine's own words: the expression is named once, by us.
    let detail = (err as Error).message;
    const prefix = `PathRegexp: invalid regexp /${source}/: `;
    if (detail.startsWith(prefix)) detail = detail.slice(prefix.length);
    detail = detail.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return { ok: false, reason: `path regexp "${source}" does not compile: ${detail}` };
  }
  return { ok: true, predicate: { name: 'PathRegexp', args: [{ regexp: source }] } };
}

function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** True for predicates that place a route in the path tree or test the path. */
export function isPathPredicate(call: Call): boolean {
  return call.name === 'Path' || call.name === 'PathSubtree';
}
