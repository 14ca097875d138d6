/**
 * The host a route serves, as a metric label: read from its definition, never from the request,
 * so the set of values is bounded by the route table. The first literal host of a `HostAny`
 * predicate, or the literal a `Host` regexp spells out (Skipper's and the Ingress translation's
 * anchored forms included; a one-label wildcard becomes `*.`). Anything else gives ''.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import { isRegexpArg } from '../eskip/definition.js';

/** One DNS label as the Ingress translation writes a `*.` wildcard. */
const wildcardLabel = '[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]';
/** Optional trailing dot and port, in the spellings generated routes use. */
const optionalSuffixes = ['[.]?(:[0-9]+)?', '\\.?(:[0-9]+)?', '(:[0-9]+)?', '(:\\d+)?', '[.]?', '\\.?'];

export function routeHost(def: RouteDefinition): string {
  for (const p of def.predicates) {
    if (p.name === 'HostAny') {
      const first = p.args[0];
      return typeof first === 'string' ? first.toLowerCase() : '';
    }
    if (p.name === 'Host') {
      const arg = p.args[0];
      if (arg === undefined || typeof arg === 'number') return '';
      return literalHost(isRegexpArg(arg) ? arg.regexp : arg);
    }
  }
  return '';
}

/** The host a regexp matches when it matches exactly one (up to a trailing dot or port); '' otherwise. */
export function literalHost(source: string): string {
  let s = source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  if (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1);
  for (const suffix of optionalSuffixes) {
    if (s.endsWith(suffix)) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  let prefix = '';
  if (s.startsWith(wildcardLabel)) {
    prefix = '*.';
    s = s.slice(wildcardLabel.length);
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return '';
      out += next;
      i++;
    } else if (c === '[' && s[i + 2] === ']' && s[i + 1] !== '^' && s[i + 1] !== '\\') {
      // A one-character class such as `[.]` is that character.
      out += s[i + 1]!;
      i += 2;
    } else if ('.^$|?*+()[]{}'.includes(c)) {
      return '';
    } else {
      out += c;
    }
  }
  return out === '' ? '' : prefix + out.toLowerCase();
}

function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
