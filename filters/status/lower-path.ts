/**
 * Lower-casing a raw (percent-encoded) path for redirectToLower. Skipper lower-cases the
 * decoded path (Go's strings.ToLower) and encodes it again, so an escaped capital such as
 * `%C3%9C` (Ü) becomes `%C3%BC` (ü), and `%41` (A) becomes `a`. Here escapes whose character
 * does not change are kept exactly as written (`%2F` stays `%2F`, where Go would write `/`), so
 * the path keeps its segments and only its letters change.
 */

const hexValue = (c: number): number => {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
};

const hexDigits = '0123456789ABCDEF';

/** True when every character is ASCII and none is `%`: String.toLowerCase is then exact. */
function plainAscii(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || c === 37) return false;
  }
  return true;
}

/**
 * One code point lower-cased as Go's unicode.ToLower does: a single code point. JavaScript's
 * toLowerCase turns U+0130 (İ) into two (i and a combining dot); Go gives a plain i.
 */
function lowerCodePoint(ch: string): string {
  if (ch === '\u0130') return 'i';
  return ch.toLowerCase();
}

function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) out += '%' + hexDigits[byte >> 4]! + hexDigits[byte & 15]!;
  return out;
}

/** The length in bytes of a UTF-8 sequence from its first byte, 0 when it cannot start one. */
function sequenceLength(first: number): number {
  if (first < 0x80) return 1;
  if (first >= 0xc2 && first <= 0xdf) return 2;
  if (first >= 0xe0 && first <= 0xef) return 3;
  if (first >= 0xf0 && first <= 0xf4) return 4;
  return 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The path with its letters lower-cased, literal ones and percent-encoded ones alike. An escape
 * run that is not valid UTF-8 is kept as written.
 * hot path: plain ASCII paths (nearly all) take one toLowerCase.
 */
export function lowerRawPath(path: string): string {
  if (plainAscii(path)) return path.toLowerCase();
  let out = '';
  let i = 0;
  while (i < path.length) {
    const c = path.charCodeAt(i);
    if (c !== 37) {
      const cp = path.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += lowerCodePoint(ch);
      i += ch.length;
      continue;
    }
    // A run of %XX escapes, decoded byte by byte into UTF-8 sequences.
    const bytes: number[] = [];
    const starts: number[] = [];
    let j = i;
    while (j + 2 < path.length && path.charCodeAt(j) === 37) {
      const hi = hexValue(path.charCodeAt(j + 1));
      const lo = hexValue(path.charCodeAt(j + 2));
      if (hi < 0 || lo < 0) break;
      bytes.push(hi * 16 + lo);
      starts.push(j);
      j += 3;
    }
    if (bytes.length === 0) {
      // a lone `%` (not an escape): kept
      out += '%';
      i++;
      continue;
    }
    starts.push(j);
    let k = 0;
    while (k < bytes.length) {
      const n = sequenceLength(bytes[k]!);
      let decoded: string | null = null;
      if (n > 0 && k + n <= bytes.length) {
        try {
          decoded = decoder.decode(Uint8Array.from(bytes.slice(k, k + n)));
        } catch {
          decoded = null;
        }
      }
      if (decoded === null) {
        // not valid UTF-8: this byte is kept as written
        out += path.slice(starts[k]!, starts[k + 1]!);
        k++;
        continue;
      }
      const lower = lowerCodePoint(decoded);
      if (lower === decoded) out += path.slice(starts[k]!, starts[k + n]!);
      else if (lower.length === 1 && lower.charCodeAt(0) < 128) out += lower;
      else out += percentEncode(lower);
      k += n;
    }
    i = j;
  }
  return out;
}
