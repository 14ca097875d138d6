/**
 * Request-target helpers: decode and clean the path the way matching expects it (no `.`/`..`
 * segments, no repeated slashes, always a leading `/`), refuse a path that a backend could decode
 * differently, and the host name of a Host value. They sit below routing, predicates and the
 * proxy, which must all read paths and hosts the same way.
 */

/**
 * Percent-decodes a path; a malformed escape leaves the raw text as it is. Requests from clients
 * never reach it with such a path (decodeRequestPath refuses them first); a path a filter wrote
 * and sent round again (`<loopback>`) still may.
 */
export function decodePath(raw: string): string {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Decodes a client's request path for matching, or returns null when the proxy must refuse it
 * because a backend could read it differently from the predicates:
 * - a malformed escape (`%zz`, `%4`, a trailing `%`) or escapes that are not valid UTF-8
 *   (`%ff`, the overlong `%c0%ae`, surrogates): the predicates could only match the raw text
 *   while Go's and Python's decoders hand the backend the decoded bytes;
 * - an escaped NUL, which ends the path early for C-based backends and file systems;
 * - an escaped separator (`%2F`, `%5C`) or a backslash in a path that has a `.` or `..`
 *   segment once decoded: whether `/a/..%2Fb` is `/b` or a file named `../b` under `/a`
 *   depends on whether a backend splits before or after decoding (and on whether it splits at
 *   `\`), so no single reading is safe to route on.
 * Plain escapes (`%61dmin`, `%2e%2e`, `%2F` alone) are decoded, and cleanPath then removes the
 * dot segments of the decoded path, the order Go's net/http and nginx use.
 * hot path: a path without `%` is returned as given, without allocating.
 */
export function decodeRequestPath(raw: string): string | null {
  if (raw.indexOf('%') === -1) return raw;
  let decoded: string;
  try {
    // decodeURIComponent throws on malformed escapes and on invalid UTF-8 (RFC 3629: overlong
    // forms, surrogates and code points past U+10FFFF included)
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.indexOf('\0') !== -1) return null;
  if (hasSeparatorEscapeOrBackslash(raw) && hasDotSegment(decoded)) return null;
  return decoded;
}

function hasSeparatorEscapeOrBackslash(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 /* \ */) return true;
    if (c !== 37 /* % */) continue;
    const hi = raw.charCodeAt(i + 1);
    const lo = raw.charCodeAt(i + 2) | 0x20;
    if ((hi === 50 /* 2 */ && lo === 102) /* f */ || (hi === 53 /* 5 */ && lo === 99) /* c */) return true;
  }
  return false;
}

/** A `.` or `..` segment, with `/` and `\` both taken as separators. */
function hasDotSegment(path: string): boolean {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    const c = i === path.length ? 47 : path.charCodeAt(i);
    if (c !== 47 && c !== 92) continue;
    const n = i - start;
    if ((n === 1 || n === 2) && path.charCodeAt(start) === 46 && (n === 1 || path.charCodeAt(start + 1) === 46)) return true;
    start = i + 1;
  }
  return false;
}

/**
 * Cleans a decoded path. hot path: the common case (already clean) returns the input without
 * allocating; only paths with `//`, `/./` or `/../` are rebuilt.
 */
export function cleanPath(path: string): string {
  if (path === '' || path.charCodeAt(0) !== 47 /* / */) path = '/' + path;
  if (!needsCleaning(path)) return path;
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i]!;
    if (s === '' || s === '.') continue;
    if (s === '..') {
      out.pop();
      continue;
    }
    out.push(s);
  }
  const last = segments[segments.length - 1];
  const trailing = last === '' || last === '.' || last === '..';
  let cleaned = '/' + out.join('/');
  if (trailing && cleaned !== '/') cleaned += '/';
  return cleaned;
}

function needsCleaning(path: string): boolean {
  // hot path: two builtin scans decide most paths; the loop below reads every character
  if (path.indexOf('//') === -1 && path.indexOf('/.') === -1) return false;
  for (let i = 0; i < path.length; i++) {
    if (path.charCodeAt(i) !== 47) continue;
    const next = path.charCodeAt(i + 1);
    if (next === 47) return true;
    if (next === 46 /* . */) {
      const after = path.charCodeAt(i + 2);
      if (Number.isNaN(after) || after === 47) return true;
      if (after === 46) {
        const third = path.charCodeAt(i + 3);
        if (Number.isNaN(third) || third === 47) return true;
      }
    }
  }
  return false;
}

/** Lower-cases a Host value and removes the port and a trailing dot (`Example.org.:80` → `example.org`). */
export function hostnameOf(host: string): string {
  let end = host.length;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    return (close === -1 ? host : host.slice(0, close + 1)).toLowerCase();
  }
  // backwards to the port's colon, if any: String#lastIndexOf is a call into the runtime
  for (let i = host.length - 1; i >= 0; i--) {
    const c = host.charCodeAt(i);
    if (c === 58 /* : */) {
      end = i;
      break;
    }
  }
  if (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  const name = end === host.length ? host : host.slice(0, end);
  return hasUpper(name) ? name.toLowerCase() : name;
}

function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}
