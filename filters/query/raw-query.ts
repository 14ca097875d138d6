/**
 * Keeps a query written by a filter sendable in a request target: characters that may not appear
 * raw in a query (space, `#`, `"`, `<`, controls, non-ASCII, ...) are percent-encoded as UTF-8;
 * `%` is left as it is (it is taken to start an escape). Skipper sends such text as it is; a
 * request line cannot carry it.
 */

// RFC 3986 query: pchar / "/" / "?", plus '%'.
const allowed = new Uint8Array(128);
for (let c = 48; c <= 57; c++) allowed[c] = 1;
for (let c = 65; c <= 90; c++) allowed[c] = 1;
for (let c = 97; c <= 122; c++) allowed[c] = 1;
for (const ch of "-._~!$&'()*+,;=:@/?%") allowed[ch.charCodeAt(0)] = 1;

/** hot path: returns the input itself when it needs nothing, which is the common case. */
export function toRawQuery(query: string): string {
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) return encodeDisallowed(query);
  }
  return query;
}

function encodeDisallowed(query: string): string {
  let out = '';
  for (const ch of query) {
    const c = ch.charCodeAt(0);
    if (c < 128 && allowed[c] === 1) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}
