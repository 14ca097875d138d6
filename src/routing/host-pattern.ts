/**
 * The Host regexp shapes the matcher can index, and the functions that write them. Sources that
 * want a route found through the host index (the Kubernetes translator, routes files) emit
 * `exactHostRegexp` or `wildcardHostRegexp`; any other Host regexp still works, but is tested on
 * every request that reaches the hostless routes.
 *
 * Recognised exact shapes (one literal host or an alternation of them, anchored):
 *   ^(example[.]org[.]?(:[0-9]+)?)$        Skipper's Ingress form: any port, optional trailing dot
 *   ^(a[.]org[.]?(:[0-9]+)?|b[.]org[.]?(:[0-9]+)?)$
 *   ^(a[.]org|b[.]org)[.]?(:[0-9]+)?$
 *   ^example\.org$   ^www\.example\.org(:\d+)?$   ^example\.org:8080$
 * Recognised wildcard shape (one DNS label in front of a literal suffix):
 *   ^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?$   (optionally inside `(...)`)
 */
import type { RegexpArg } from '../eskip/definition.js';

/** What the index learns from a Host regexp. */
export type HostShape =
  | {
      readonly kind: 'exact';
      /** Lower-case host names without port or trailing dot: the index keys. */
      readonly hosts: readonly string[];
      /**
       * True when the index key alone decides the match for a host with a numeric port or none
       * (every alternative accepts any port and an optional trailing dot).
       */
      readonly complete: boolean;
      /**
       * True when the index key alone decides the match for a host that is its own host name
       * (no port, no trailing dot, lower case): every alternative either is complete or accepts
       * exactly the bare name, as `^example[.]org$` does.
       */
      readonly bareComplete: boolean;
    }
  | { readonly kind: 'wildcard'; readonly suffix: string; readonly complete: boolean; readonly bareComplete: boolean };

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DOT_OPTIONAL = ['[.]?', '\\.?'];
const ANY_PORT = ['(:[0-9]+)?', '(:\\d+)?', '(?::[0-9]+)?', '(?::\\d+)?'];

function escapeHost(host: string): string {
  return host.toLowerCase().replaceAll('.', '[.]');
}

/** Skipper's Ingress host regexp: `^(a[.]org[.]?(:[0-9]+)?|...)$`, any port, optional trailing dot. */
export function exactHostRegexp(hosts: readonly string[]): RegexpArg {
  return { regexp: `^(${hosts.map((h) => `${escapeHost(h)}[.]?(:[0-9]+)?`).join('|')})$` };
}

/**
 * The regexp for `*.example.org`: exactly one DNS label before the suffix, any port, optional
 * trailing dot. Pass the suffix without the `*.` (`example.org`); a leading `*.` is dropped.
 */
export function wildcardHostRegexp(suffix: string): RegexpArg {
  const bare = suffix.startsWith('*.') ? suffix.slice(2) : suffix;
  return { regexp: `^${LABEL}[.]${escapeHost(bare)}[.]?(:[0-9]+)?$` };
}

type Suffix = 'none' | 'full' | 'other';

/** Reads the port/dot suffix at `i`; returns its kind and end, or null when none of the known forms. */
function readSuffix(s: string, i: number): { kind: Suffix; end: number } {
  for (const dot of DOT_OPTIONAL) {
    if (!s.startsWith(dot, i)) continue;
    for (const port of ANY_PORT) {
      if (s.startsWith(port, i + dot.length)) return { kind: 'full', end: i + dot.length + port.length };
    }
    return { kind: 'other', end: i + dot.length };
  }
  for (const port of ANY_PORT) {
    if (s.startsWith(port, i)) return { kind: 'other', end: i + port.length };
  }
  if (s.charCodeAt(i) === 58 /* : */) {
    let end = i + 1;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    if (end > i + 1) return { kind: 'other', end };
  }
  return { kind: 'none', end: i };
}

/** Reads a literal host at `i`: letters, digits, `-`, `_`, and dots written `\.` or `[.]`. */
function readLiteral(s: string, i: number): { host: string; end: number } {
  let host = '';
  for (;;) {
    const c = s.charCodeAt(i);
    const isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (isWord) {
      host += s[i]!.toLowerCase();
      i++;
    } else if ((s.startsWith('\\.', i) && s[i + 2] !== '?') || (s.startsWith('[.]', i) && s[i + 3] !== '?')) {
      host += '.';
      i += s[i] === '\\' ? 2 : 3;
    } else {
      return { host, end: i };
    }
  }
}

interface Alternative {
  host: string;
  suffix: Suffix;
}

/** Parses `alt|alt|...` from `i` up to `stop`; null when any part is not a literal host. */
function readAlternatives(s: string, i: number, stop: number): { alternatives: Alternative[]; end: number } | null {
  const alternatives: Alternative[] = [];
  for (;;) {
    const literal = readLiteral(s, i);
    if (literal.host === '' || literal.host.startsWith('.')) return null;
    const suffix = readSuffix(s, literal.end);
    alternatives.push({ host: literal.host, suffix: suffix.kind });
    i = suffix.end;
    if (i < stop && s[i] === '|') {
      i++;
      continue;
    }
    return { alternatives, end: i };
  }
}

function keyOf(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function readExact(body: string): HostShape | null {
  let parsed: { alternatives: Alternative[]; end: number } | null;
  let groupSuffix: Suffix = 'none';
  let end: number;
  const open = body.startsWith('(?:') ? 3 : body.startsWith('(') ? 1 : 0;
  if (open > 0) {
    parsed = readAlternatives(body, open, body.length);
    if (parsed === null || body[parsed.end] !== ')') return null;
    const suffix = readSuffix(body, parsed.end + 1);
    groupSuffix = suffix.kind;
    end = suffix.end;
  } else {
    parsed = readAlternatives(body, 0, body.length);
    if (parsed === null) return null;
    end = parsed.end;
  }
  if (end !== body.length) return null;
  const alternatives = parsed.alternatives;
  if (groupSuffix !== 'none' && alternatives.some((a) => a.suffix !== 'none')) return null;
  const suffixOf = (a: Alternative): Suffix => (groupSuffix === 'none' ? a.suffix : groupSuffix);
  const complete = alternatives.every((a) => suffixOf(a) === 'full' && !a.host.endsWith('.'));
  const bareComplete = alternatives.every((a) => suffixOf(a) !== 'other' && !a.host.endsWith('.'));
  return { kind: 'exact', hosts: [...new Set(alternatives.map((a) => keyOf(a.host)))], complete, bareComplete };
}

function readWildcard(body: string): HostShape | null {
  if (body.startsWith(`(${LABEL}`) && body.endsWith(')')) body = body.slice(1, -1);
  if (!body.startsWith(LABEL)) return null;
  let i = LABEL.length;
  if (body.startsWith('[.]', i)) i += 3;
  else if (body.startsWith('\\.', i)) i += 2;
  else return null;
  const literal = readLiteral(body, i);
  if (literal.host === '' || literal.host.startsWith('.') || literal.host.endsWith('.')) return null;
  const suffix = readSuffix(body, literal.end);
  if (suffix.end !== body.length) return null;
  return { kind: 'wildcard', suffix: literal.host, complete: suffix.kind === 'full', bareComplete: suffix.kind !== 'other' };
}

/** Recognises an indexable Host regexp source; null for any other expression. */
export function analyzeHostRegexp(source: string): HostShape | null {
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) return null;
  const body = source.slice(1, -1);
  if (body.startsWith(LABEL) || body.startsWith(`(${LABEL}`)) return readWildcard(body);
  return readExact(body);
}

/**
 * True when the Host header's port part is absent or all digits. For such hosts a `complete`
 * shape's regexp is decided by the index key alone. hot path: no allocation.
 */
/**
 * True when the Host header is its own host name (see hostnameOf: no port, no trailing dot, no
 * upper case) and not an IPv6 literal. For such hosts a `bareComplete` shape's regexp is decided
 * by the index key alone.
 */
export function isBareHost(host: string, hostname: string): boolean {
  return host === hostname && host.charCodeAt(0) !== 91 /* [ */;
}

export function hasPlainPort(host: string): boolean {
  // backwards to the last colon: String#lastIndexOf is a call into the runtime
  let digits = true;
  for (let i = host.length - 1; i >= 0; i--) {
    const c = host.charCodeAt(i);
    if (c === 58 /* : */) return digits && i !== host.length - 1;
    if (c < 48 || c > 57) digits = false;
  }
  return true;
}

/**
 * The wildcard index key of a (lower-case, port-less) host name: what follows its first label,
 * or null when the first label is not one a wildcard regexp accepts. Allocates the key only.
 */
export function wildcardKey(hostname: string): string | null {
  const start = wildcardKeyStart(hostname);
  return start === -1 ? null : hostname.slice(start);
}

/** Where wildcardKey's key starts in `hostname`, -1 when it has none. hot path: no allocation. */
export function wildcardKeyStart(hostname: string): number {
  const dot = hostname.indexOf('.');
  if (dot <= 0 || dot === hostname.length - 1) return -1;
  for (let i = 0; i < dot; i++) {
    const c = hostname.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
    if (!alnum && (c !== 45 || i === 0 || i === dot - 1)) return -1;
  }
  return dot + 1;
}
