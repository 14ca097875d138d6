/**
 * IP address text: parsing IPv4 and IPv6 into numbers, and normalising addresses as received
 * (brackets, `%zone`, IPv4-mapped IPv6 `::ffff:1.2.3.4` which counts as the IPv4 address).
 * The range readers take (text, start, end) so callers can parse part of a header in place.
 */

/** IPv4 addresses are unsigned 32-bit numbers; IPv6 addresses four big-endian 32-bit words. */
export type ParsedAddress =
  | { readonly family: 4; readonly value: number }
  | { readonly family: 6; readonly words: readonly [number, number, number, number] };

/** Returned by readAddress for text that is not an address. */
export const NOT_AN_ADDRESS = -2;
/** Returned by readAddress when the address is IPv6 (not mapped); the words are in `out`. */
export const IPV6_ADDRESS = -1;

const hextets = new Uint16Array(8);

/**
 * Parses a dotted quad in text[start, end): four decimal octets, no leading zeros, no sign.
 * hot path: charCode arithmetic only. Returns the unsigned value, or -1 for anything else.
 */
export function parseIPv4(text: string, start = 0, end = text.length): number {
  let value = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    let octet = 0;
    let digits = 0;
    const first = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || octet > 255) return -1;
    // a leading zero would be read as octal by some parsers: refuse the ambiguity
    if (digits > 1 && text.charCodeAt(first) === 48) return -1;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (i >= end || text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses IPv6 text in text[start, end) (no brackets, no zone) into four 32-bit words in `out`.
 * Accepts `::` compression and a dotted-quad tail. hot path: no allocation.
 */
export function parseIPv6(text: string, start: number, end: number, out: Uint32Array): boolean {
  let i = start;
  let count = 0;
  let gap = -1;
  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let value = 0;
    let digits = 0;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      // dotted-quad tail: takes the last two groups
      if (count > 6) return false;
      const v4 = parseIPv4(text, groupStart, end);
      if (v4 < 0) return false;
      hextets[count++] = v4 >>> 16;
      hextets[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    hextets[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  let w = 0;
  let pending = 0;
  for (let g = 0; g < 8; g++) {
    let h: number;
    if (gap === -1 || g < gap) h = hextets[g]!;
    else if (g < gap + zeros) h = 0;
    else h = hextets[g - zeros]!;
    if ((g & 1) === 0) pending = h;
    else out[w++] = ((pending << 16) | h) >>> 0;
  }
  return true;
}

/**
 * Reads an address from text[start, end): strips `[...]` and an IPv6 `%zone`, and unwraps
 * IPv4-mapped IPv6. Returns the IPv4 value (>= 0), IPV6_ADDRESS with the words in `out`, or
 * NOT_AN_ADDRESS. hot path: no allocation.
 */
export function readAddress(text: string, start: number, end: number, out: Uint32Array): number {
  if (end > start && text.charCodeAt(start) === 91 /* [ */) {
    if (text.charCodeAt(end - 1) !== 93 /* ] */) return NOT_AN_ADDRESS;
    start++;
    end--;
  }
  if (end <= start) return NOT_AN_ADDRESS;
  let colon = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) colon = true;
    else if (c === 37 /* % */) {
      if (!colon || i === end - 1) return NOT_AN_ADDRESS;
      end = i;
      break;
    }
  }
  if (!colon) {
    const v4 = parseIPv4(text, start, end);
    return v4 < 0 ? NOT_AN_ADDRESS : v4;
  }
  if (!parseIPv6(text, start, end, out)) return NOT_AN_ADDRESS;
  if (out[0] === 0 && out[1] === 0 && out[2] === 0xffff) return out[3]!;
  return IPV6_ADDRESS;
}

/** Parses an address as received (brackets, zone and mapped IPv4 handled); null for garbage. */
export function parseAddress(text: string): ParsedAddress | null {
  const words = new Uint32Array(4);
  const result = readAddress(text, 0, text.length, words);
  if (result === NOT_AN_ADDRESS) return null;
  if (result >= 0) return { family: 4, value: result };
  return { family: 6, words: [words[0]!, words[1]!, words[2]!, words[3]!] };
}

export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIPv6(words: readonly number[]): string {
  const groups: number[] = [];
  for (const w of words) groups.push(w >>> 16, w & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/**
 * The canonical text of an address: dotted quad for IPv4 (including mapped IPv6), RFC 5952 for
 * IPv6, without brackets or zone. null when the text is not an address.
 */
export function normalizeAddress(text: string): string | null {
  const parsed = parseAddress(text);
  if (parsed === null) return null;
  return parsed.family === 4 ? formatIPv4(parsed.value) : formatIPv6(parsed.words);
}
