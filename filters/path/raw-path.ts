/**
 * Keeps a rewritten path sendable as a request target: characters that may not appear raw in a
 * path (space, `?`, `#`, quotes, non-ASCII, ...) are percent-encoded, `%` is left as it is (it
 * is taken to start an escape), and the path always begins with `/`.
 */
import { allowedChars, percentEncodeOutside } from './percent-encode.js';

// RFC 3986 pchar plus '/' and '%'
const allowed = allowedChars();

/** hot path: returns the input itself when it needs nothing, which is the common case. */
export function toRawPath(path: string): string {
  const encoded = percentEncodeOutside(path, allowed);
  return encoded.charCodeAt(0) === 47 /* / */ ? encoded : '/' + encoded;
}
