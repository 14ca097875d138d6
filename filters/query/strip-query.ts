/**
 * stripQuery() and stripQuery("true"): remove the query from the outgoing request. With "true"
 * (in any case) every parameter is kept as a request header first: `?foo=bar` adds
 * `X-Query-Param-foo: bar`, one value per parameter value, appended to any such header already
 * there.
 *
 * As in Skipper: the parameters are read as Go reads them (go-query.ts: pairs with `;` or a bad
 * escape are lost); a header name is `X-Query-Param-` plus the key as strconv.QuoteToASCII writes
 * it, keeping only letters, digits and `-` (`a b` → `ab`, `馬鹿` → `u99acu9e7f`, a newline →
 * `n`); any other single argument means "do not keep", and arguments beyond the first are
 * ignored. Unlike Skipper, a value that cannot go into a header (CR, LF, other controls) is left
 * out instead of failing the request upstream.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { stringArg } from '../../src/args.js';
import { appendField } from '../header/header-fields.js';
import { isValidHeaderValue } from '../header/header-syntax.js';
import { parseGoQuery } from './go-query.js';
import { StripQuery } from '../names.js';

const HEADER_PREFIX = 'x-query-param-';
const HEX = '0123456789abcdef';

class StripQueryFilter implements Filter {
  constructor(private readonly keepAsHeaders: boolean) {}

  // hot path: without "true", one property write; with it, one parse of the query.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    if (this.keepAsHeaders && out.query !== '') {
      for (const [key, values] of parseGoQuery(out.query)) {
        const name = HEADER_PREFIX + headerSuffix(key).toLowerCase();
        for (const value of values) if (isValidHeaderValue(value)) appendField(out.headers, name, value);
      }
    }
    out.query = '';
  }
}

/** The key as Go's strconv.QuoteToASCII writes it, with everything but `A-Za-z0-9-` removed. */
export function headerSuffix(key: string): string {
  let out = '';
  let i = 0;
  while (i < key.length) {
    const c = key.charCodeAt(i);
    if (c < 0x80) {
      out += asciiPiece(c);
      i++;
      continue;
    }
    if (c > 0xff) {
      // not a byte string (cannot come from a parsed query): take the code point as it is
      const cp = key.codePointAt(i)!;
      out += runePiece(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const [cp, width] = decodeRune(key, i);
    out += cp < 0 ? 'x' + hex2(c) : runePiece(cp);
    i += width;
  }
  return out;
}

function hex2(b: number): string {
  return HEX[b >> 4]! + HEX[b & 15]!;
}

function asciiPiece(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45) return String.fromCharCode(c);
  if (c >= 0x20 && c !== 0x7f) return ''; // printable: written as is (or as \" \\), then removed
  switch (c) {
    case 7:
      return 'a';
    case 8:
      return 'b';
    case 9:
      return 't';
    case 10:
      return 'n';
    case 11:
      return 'v';
    case 12:
      return 'f';
    case 13:
      return 'r';
    default:
      return 'x' + hex2(c);
  }
}

function runePiece(cp: number): string {
  return cp < 0x10000 ? 'u' + cp.toString(16).padStart(4, '0') : 'U' + cp.toString(16).padStart(8, '0');
}

function continuation(s: string, i: number, lo = 0x80, hi = 0xbf): number {
  if (i >= s.length) return -1;
  const b = s.charCodeAt(i);
  return b >= lo && b <= hi ? b & 0x3f : -1;
}

/** One UTF-8 sequence of a byte string at i, as Go decodes it: [-1, 1] when invalid. */
function decodeRune(s: string, i: number): [number, number] {
  const b = s.charCodeAt(i);
  if (b >= 0xc2 && b <= 0xdf) {
    const c1 = continuation(s, i + 1);
    return c1 < 0 ? [-1, 1] : [((b & 0x1f) << 6) | c1, 2];
  }
  if (b >= 0xe0 && b <= 0xef) {
    const c1 = continuation(s, i + 1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf);
    const c2 = c1 < 0 ? -1 : continuation(s, i + 2);
    return c2 < 0 ? [-1, 1] : [((b & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const c1 = continuation(s, i + 1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf);
    const c2 = c1 < 0 ? -1 : continuation(s, i + 2);
    const c3 = c2 < 0 ? -1 : continuation(s, i + 3);
    return c3 < 0 ? [-1, 1] : [((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [-1, 1];
}

export const stripQuery: FilterSpec = {
  name: StripQuery,
  create(args: readonly Arg[]): Filter {
    // Skipper looks at a single argument only; with none or several, the parameters are dropped.
    const keep = args.length === 1 && stringArg(StripQuery, args, 0, 'the argument').toLowerCase() === 'true';
    return new StripQueryFilter(keep);
  },
};
