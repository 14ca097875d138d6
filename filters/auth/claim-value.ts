/**
 * Claim values as header values, in one predictable encoding:
 *   - strings: visible ASCII and inner spaces pass unchanged, except `%`, which becomes `%25`;
 *     every other character (non-ASCII, controls such as TAB or DEL, a leading or trailing
 *     space) is percent-encoded as UTF-8. So decodeURIComponent(header) is always the claim.
 *   - CR, LF or NUL anywhere in a string claim: refused (the token is treated as invalid). Such
 *     a value is an attempt at header injection, not a name.
 *   - numbers and booleans: their JSON text (`42`, `true`).
 *   - objects and arrays: their JSON text, then encoded as a string (JSON escapes controls, so
 *     CR/LF inside nested values arrive as the two characters `\r`/`\n`, harmless).
 *   - null or absent: no header.
 * A value whose encoded form is longer than the configured limit, or a structure nested too deep
 * to be written out, is refused like CR/LF.
 */

/** Marks a value that must not become a header. */
export const REFUSED = null;

/**
 * The header value for a claim: a string, undefined when there is nothing to send, or REFUSED.
 * hot path: a plain ASCII string is returned as it is, without copying.
 */
export function claimHeaderValue(value: unknown, maxLength: number): string | undefined | null {
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        // nesting deeper than the stack allows (JSON.parse reads deeper than stringify writes):
        // an unusable claim, not a failure of the request
        return REFUSED;
      }
      break;
    default:
      return undefined;
  }
  const encoded = encodeHeaderText(text);
  return encoded !== REFUSED && encoded.length <= maxLength ? encoded : REFUSED;
}

function passes(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x25; /* % */
}

/** The encoding described above; REFUSED for CR, LF or NUL. */
export function encodeHeaderText(text: string): string | null {
  const last = text.length - 1;
  let clean = true;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10 || c === 0) return REFUSED;
    if (!passes(c) && !(c === 32 && i !== 0 && i !== last)) clean = false;
  }
  if (clean) return text;
  let out = '';
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (passes(c) || (c === 32 && i !== 0 && i !== last)) {
      out += text[i];
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i < last) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    // a lone surrogate has no UTF-8 form: U+FFFD, as TextEncoder writes it
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out += utf8Percent(cp);
  }
  return out;
}

const hex = '0123456789ABCDEF';

function byte(b: number): string {
  return '%' + hex[b >> 4]! + hex[b & 15]!;
}

function utf8Percent(cp: number): string {
  if (cp < 0x80) return byte(cp);
  if (cp < 0x800) return byte(0xc0 | (cp >> 6)) + byte(0x80 | (cp & 63));
  if (cp < 0x10000) return byte(0xe0 | (cp >> 12)) + byte(0x80 | ((cp >> 6) & 63)) + byte(0x80 | (cp & 63));
  return byte(0xf0 | (cp >> 18)) + byte(0x80 | ((cp >> 12) & 63)) + byte(0x80 | ((cp >> 6) & 63)) + byte(0x80 | (cp & 63));
}
