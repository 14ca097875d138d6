/**
 * A set of IP networks (CIDR blocks and bare addresses) with a fast membership test. Entries are
 * parsed once into sorted, merged numeric ranges per family, so `has` is a binary search whatever
 * the size of the list. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) counts as IPv4, on both sides.
 */
import { ErrorCode, SkiffError } from '../errors.js';
import { IPV6_ADDRESS, NOT_AN_ADDRESS, parseIPv4, parseIPv6, readAddress } from './ip.js';

const MAX_V6 = (1n << 128n) - 1n;
const MAPPED_PREFIX = 0xffffn << 32n;

interface Range {
  start: bigint;
  end: bigint;
}

const scratch = new Uint32Array(4);

export class CidrSet {
  /** The entries as given, for printing and diagnostics. */
  readonly entries: readonly string[];
  private readonly v4Starts: Float64Array;
  private readonly v4Ends: Float64Array;
  /** Four words per range, most significant first. */
  private readonly v6Starts: Uint32Array;
  private readonly v6Ends: Uint32Array;

  private constructor(entries: readonly string[], v4: Range[], v6: Range[]) {
    this.entries = Object.freeze([...entries]);
    this.v4Starts = Float64Array.from(v4, (r) => Number(r.start));
    this.v4Ends = Float64Array.from(v4, (r) => Number(r.end));
    this.v6Starts = new Uint32Array(v6.length * 4);
    this.v6Ends = new Uint32Array(v6.length * 4);
    v6.forEach((r, i) => {
      writeWords(r.start, this.v6Starts, i * 4);
      writeWords(r.end, this.v6Ends, i * 4);
    });
  }

  /**
   * Parses `10.0.0.0/8`, `2001:db8::/32`, bare addresses (a /32 or /128) and mapped forms.
   * Host bits after the prefix are ignored, as Go's ParseCIDR does. Throws InvalidArgs naming the
   * first bad entry.
   */
  static parse(list: readonly string[]): CidrSet {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const raw of list) {
      const entry = typeof raw === 'string' ? raw.trim() : '';
      const parsed = parseEntry(entry);
      if (parsed === null) {
        throw new SkiffError(ErrorCode.InvalidArgs, `not an IP address or CIDR block: ${JSON.stringify(raw)}`);
      }
      (parsed.family === 4 ? v4 : v6).push(parsed.range);
    }
    return new CidrSet(list, merge(v4), merge(v6));
  }

  get size(): number {
    return this.entries.length;
  }

  /** hot path: true when the address (any accepted text form) is inside one of the networks. */
  has(address: string): boolean {
    return this.containsSlice(address, 0, address.length) === true;
  }

  /**
   * The same test on text[start, end), e.g. one entry of X-Forwarded-For, without copying it.
   * Returns undefined when that text is not an address, so callers can fall back.
   * hot path: no allocation.
   */
  containsSlice(text: string, start: number, end: number): boolean | undefined {
    const result = readAddress(text, start, end, scratch);
    if (result === NOT_AN_ADDRESS) return undefined;
    if (result === IPV6_ADDRESS) return this.hasV6(scratch);
    return this.hasV4(result);
  }

  private hasV4(value: number): boolean {
    const starts = this.v4Starts;
    let lo = 0;
    let hi = starts.length - 1;
    // the last range starting at or below the value is the only candidate: ranges are disjoint
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && value <= this.v4Ends[hi]!;
  }

  private hasV6(words: Uint32Array): boolean {
    const starts = this.v6Starts;
    let lo = 0;
    let hi = starts.length / 4 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(starts, mid * 4, words) <= 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && compareWords(this.v6Ends, hi * 4, words) >= 0;
  }
}

/** Compares the range bound at table[offset..offset+3] with the address words. */
function compareWords(table: Uint32Array, offset: number, words: Uint32Array): number {
  for (let i = 0; i < 4; i++) {
    const a = table[offset + i]!;
    const b = words[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function writeWords(value: bigint, out: Uint32Array, offset: number): void {
  for (let i = 3; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffffffffn);
    value >>= 32n;
  }
}

function parseEntry(entry: string): { family: 4 | 6; range: Range } | null {
  const slash = entry.indexOf('/');
  const addressEnd = slash === -1 ? entry.length : slash;
  const prefixText = slash === -1 ? null : entry.slice(slash + 1);
  if (entry.indexOf('%') !== -1 || entry.charCodeAt(0) === 91 /* [ */) return null;
  const v4 = parseIPv4(entry, 0, addressEnd);
  if (v4 >= 0) {
    const prefix = prefixText === null ? 32 : parsePrefix(prefixText, 32);
    if (prefix < 0) return null;
    return { family: 4, range: block(BigInt(v4), prefix, 32) };
  }
  const words = new Uint32Array(4);
  if (!parseIPv6(entry, 0, addressEnd, words)) return null;
  const prefix = prefixText === null ? 128 : parsePrefix(prefixText, 128);
  if (prefix < 0) return null;
  const value = (BigInt(words[0]!) << 96n) | (BigInt(words[1]!) << 64n) | (BigInt(words[2]!) << 32n) | BigInt(words[3]!);
  // a block inside ::ffff:0:0/96 is written as IPv6 but describes IPv4 clients
  if (prefix >= 96 && value >> 32n === 0xffffn) {
    return { family: 4, range: block(value - MAPPED_PREFIX, prefix - 96, 32) };
  }
  return { family: 6, range: block(value, prefix, 128) };
}

function parsePrefix(text: string, max: number): number {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) return -1;
  const n = Number(text);
  return n <= max ? n : -1;
}

function block(address: bigint, prefix: number, bits: number): Range {
  const hostBits = BigInt(bits - prefix);
  const all = bits === 32 ? 0xffffffffn : MAX_V6;
  const hostMask = (1n << hostBits) - 1n;
  const start = address & (all ^ hostMask);
  return { start, end: start | hostMask };
}

/** Sorts ranges and joins overlapping or adjacent ones, so that they are disjoint. */
function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end + 1n) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ start: r.start, end: r.end });
    }
  }
  return out;
}
