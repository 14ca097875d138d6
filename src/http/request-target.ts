/**
 * Request-target helpers: decode and clean the path the way matching expects it (no `.`/`..`
 * segments, no repeated slashes, always a leading `/`), and the host name of a Host value. They
 * sit below routing, predicates and the proxy, which must all read paths and hosts the same way.
 */

/** Percent-decodes a path; a malformed escape leaves the raw text as it is. */
export function decodePath(raw: string): string {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
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
