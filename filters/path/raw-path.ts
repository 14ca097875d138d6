/**
 * Keeps a rewritten path sendable as a request target: characters that may not appear raw in a
 * path (space, `?`, `#`, quotes, non-ASCII, ...) are percent-encoded, `%` is left as it is (it
 * is taken to start an escape), and the path always begins with `/`.
 */

// RFC 3986 pchar plus '/' and '%': unreserved, sub-delims, ':' and '@'.
const allowed = new Uint8Array(128);
for (let c = 48; c <= 57; c++) allowed[c] = 1;
for (let c = 65; c <= 90; c++) allowed[c] = 1;
for (let c = 97; c <= 122; c++) allowed[c] = 1;
for (const ch of "-._~!$&'()*+,;=:@/%") allowed[ch.charCodeAt(0)] = 1;

/** hot path: returns the input itself when it needs nothing, which is the common case. */
export function toRawPath(path: string): string {
  let clean = true;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) {
      clean = false;
      break;
    }
  }
  const encoded = clean ? path : encodeDisallowed(path);
  return encoded.charCodeAt(0) === 47 /* / */ ? encoded : '/' + encoded;
}

function encodeDisallowed(path: string): string {
  let out = '';
  for (const ch of path) {
    const c = ch.charCodeAt(0);
    out += c < 128 && allowed[c] === 1 ? ch : encodeChar(ch);
  }
  return out;
}

function encodeChar(ch: string): string {
  try {
    return encodeURIComponent(ch);
  } catch {
    // A lone surrogate has no UTF-8 form: send the replacement character.
    return '%EF%BF%BD';
  }
}
