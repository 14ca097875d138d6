/**
 * Percent-encoding of the characters a part of a request target may not carry raw, shared by
 * the path and query rewrites: everything outside an allowed ASCII set is written as the `%XX`
 * of its UTF-8 bytes; `%` itself is always allowed (it is taken to start an escape).
 */

/** The RFC 3986 unreserved characters, sub-delims, ':', '@', '/' and '%', plus `extra`. */
export function allowedChars(extra = ''): Uint8Array {
  const allowed = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) allowed[c] = 1;
  for (let c = 65; c <= 90; c++) allowed[c] = 1;
  for (let c = 97; c <= 122; c++) allowed[c] = 1;
  for (const ch of "-._~!$&'()*+,;=:@/%" + extra) allowed[ch.charCodeAt(0)] = 1;
  return allowed;
}

/** hot path: returns the input itself when it needs nothing, which is the common case. */
export function percentEncodeOutside(text: string, allowed: Uint8Array): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) return encodeFrom(text, allowed);
  }
  return text;
}

function encodeFrom(text: string, allowed: Uint8Array): string {
  let out = '';
  for (const ch of text) {
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
