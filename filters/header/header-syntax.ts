/**
 * What may go into an HTTP header: field names are RFC 9110 tokens, and values may not hold
 * control characters (CR, LF and NUL above all: they would split or truncate the header).
 * Used at build time on literal text and at request time on expanded templates.
 */

// RFC 9110 tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~"
const tchar = new Uint8Array(128);
for (let c = 48; c <= 57; c++) tchar[c] = 1;
for (let c = 65; c <= 90; c++) tchar[c] = 1;
for (let c = 97; c <= 122; c++) tchar[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") tchar[ch.charCodeAt(0)] = 1;

export function isValidHeaderName(name: string): boolean {
  if (name === '' || name === '__proto__') return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || tchar[c] !== 1) return false;
  }
  return true;
}

/**
 * True when Node's HTTP stack would accept the value: HTAB, visible ASCII, space and
 * obs-text (0x80-0xFF). This rejects CR, LF, NUL and the other controls, and characters
 * above 0xFF, which cannot be sent as a single byte.
 * hot path: one pass over the characters, no regexp.
 */
export function isValidHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 9) continue;
    if (c < 32 || c === 127 || c > 255) return false;
  }
  return true;
}
