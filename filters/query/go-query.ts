/**
 * Query strings as Go's net/url reads and writes them, which is what Skipper's query filters do
 * (`req.URL.Query()` then `params.Encode()`):
 *
 *   - parsing (url.ParseQuery): pairs split on `&`; empty pairs are skipped, and so is every
 *     pair that holds a `;` or an invalid `%` escape; `+` is a space; a pair without `=` has the
 *     value '';
 *   - writing (url.Values.Encode): keys sorted bytewise, each key's values in order, `k=v`
 *     joined by `&`, both escaped by url.QueryEscape (only `A-Z a-z 0-9 - _ . ~` stay as they
 *     are, a space becomes `+`, every other byte `%XX`).
 *
 * Keys and values are byte strings: one character per byte, as header values are, so that a
 * value travels between the query and a header byte for byte, as it does in Go.
 */

/** Each key's values in order; keys in the order they first appear. */
export type GoQueryValues = Map<string, string[]>;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** url.QueryUnescape: null when an escape is invalid. hot path: text without `%`/`+` is returned as is. */
export function queryUnescape(s: string): string | null {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 43 /* + */) {
      out += ' ';
    } else if (c === 37 /* % */) {
      if (i + 2 >= s.length) return null;
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return null;
      out += String.fromCharCode(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/**
 * Calls `each` with every pair Go's ParseQuery keeps, in order; stops when `each` returns true.
 * hot path: one pass; a key or value is copied only when it holds an escape or a `+`.
 */
function forEachPair(raw: string, each: (key: string, value: string) => boolean | void): void {
  let start = 0;
  while (start < raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    const pair = raw.slice(start, end);
    start = end + 1;
    if (pair === '' || pair.indexOf(';') !== -1) continue;
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq === -1 ? pair : pair.slice(0, eq));
    if (key === null) continue;
    const value = eq === -1 ? '' : queryUnescape(pair.slice(eq + 1));
    if (value === null) continue;
    if (each(key, value) === true) return;
  }
}

export function parseGoQuery(raw: string): GoQueryValues {
  const values: GoQueryValues = new Map();
  forEachPair(raw, (key, value) => {
    const list = values.get(key);
    if (list === undefined) values.set(key, [value]);
    else list.push(value);
  });
  return values;
}

/** The first value of `key` as url.Values.Get gives it: '' when absent. */
export function firstGoQueryValue(raw: string, key: string): string {
  let found = '';
  forEachPair(raw, (k, v) => {
    if (k !== key) return false;
    found = v;
    return true;
  });
  return found;
}

const HEX = '0123456789ABCDEF';

function isUnreserved(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 || c === 126
  );
}

function percentByte(b: number): string {
  return '%' + HEX[b >> 4]! + HEX[b & 15]!;
}

/**
 * url.QueryEscape of a byte string. A character above 0xFF (text that was never turned into
 * bytes) is escaped as its UTF-8 bytes.
 */
export function queryEscape(s: string): string {
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    if (!isUnreserved(s.charCodeAt(i))) {
      clean = false;
      break;
    }
  }
  if (clean) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c)) out += s[i];
    else if (c === 32) out += '+';
    else if (c <= 0xff) out += percentByte(c);
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += percentByte(b);
    }
  }
  return out;
}

/** url.Values.Encode: '' for no values. */
export function encodeGoQuery(values: GoQueryValues): string {
  if (values.size === 0) return '';
  // Byte strings compare bytewise under JS's code-unit order, as Go's sort.Strings does.
  const keys = [...values.keys()].sort();
  let out = '';
  for (const key of keys) {
    const escaped = queryEscape(key);
    for (const value of values.get(key)!) {
      if (out !== '') out += '&';
      out += escaped + '=' + queryEscape(value);
    }
  }
  return out;
}
