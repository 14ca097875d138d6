/**
 * Keeps a query written by a filter sendable in a request target: characters that may not appear
 * raw in a query (space, `#`, `"`, `<`, controls, non-ASCII, ...) are percent-encoded as UTF-8;
 * `%` is left as it is (it is taken to start an escape). Skipper sends such text as it is; a
 * request line cannot carry it.
 */
import { allowedChars, percentEncodeOutside } from '../path/percent-encode.js';

// RFC 3986 query: pchar / "/" / "?", plus '%'
const allowed = allowedChars('?');

/** hot path: returns the input itself when it needs nothing, which is the common case. */
export function toRawQuery(query: string): string {
  return percentEncodeOutside(query, allowed);
}
