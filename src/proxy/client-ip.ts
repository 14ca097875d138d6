/**
 * Which peers may speak for the client, and so which address is "the client". The proxy asks
 * this once per request; predicates, filters, logs and metrics then read RequestView.clientIp.
 * The default trusts no peer: the client is the TCP peer and X-Forwarded-For is only data.
 * With trusted proxies, X-Forwarded-For is read from the right, never from the left.
 */
import { ErrorCode, SkiffError } from '../errors.js';
import { CidrSet } from '../net/cidr-set.js';
import { formatIPv4, formatIPv6, IPV6_ADDRESS, NOT_AN_ADDRESS, readAddress } from '../net/ip.js';

export interface ClientIpPolicy {
  /** Whether X-Forwarded-* headers from this peer are believed. */
  trusts(peer: string): boolean;
  /** The client address for this request, or null when it cannot be known. */
  resolve(peer: string, xff: string | string[] | undefined): string | null;
}

export const trustNoPeer: ClientIpPolicy = Object.freeze({
  trusts: () => false,
  resolve: (peer: string) => (peer === '' ? null : peer),
});

/**
 * An AWS ALB answers 463 to a request whose X-Forwarded-For holds more than 30 addresses; a
 * longer chain did not come through it, so it is not believed.
 */
export const MAX_FORWARDED_ENTRIES = 30;

export interface ClientIpOptions {
  /** Peers whose X-Forwarded-For is believed: CIDR blocks or bare addresses. None: trust no peer. */
  readonly trustedProxies?: readonly string[];
  /**
   * Hops mode: the client is the Nth X-Forwarded-For entry counted from the right (1 behind a
   * single ALB). Without it, CIDR mode: entries are skipped right to left while they are
   * trusted proxies, and the first other one is the client.
   */
  readonly hops?: number;
}

/** The policy for the given options; `trustNoPeer` when no proxy is trusted. */
export function createClientIpPolicy(options: ClientIpOptions = {}): ClientIpPolicy {
  const list = options.trustedProxies ?? [];
  const hops = options.hops;
  if (hops !== undefined && (!Number.isInteger(hops) || hops < 1 || hops > MAX_FORWARDED_ENTRIES)) {
    throw new SkiffError(ErrorCode.InvalidOption, `trusted hops must be an integer from 1 to ${MAX_FORWARDED_ENTRIES}, got ${hops}`);
  }
  if (list.length === 0) {
    if (hops !== undefined) throw new SkiffError(ErrorCode.InvalidOption, 'trusted hops need trusted proxies to apply to');
    return trustNoPeer;
  }
  let trusted: CidrSet;
  try {
    trusted = CidrSet.parse(list);
  } catch (err) {
    throw new SkiffError(ErrorCode.InvalidOption, `trusted proxies: ${(err as Error).message}`, { cause: err });
  }
  return new TrustedProxyPolicy(trusted, hops ?? 0);
}

const scratch = new Uint32Array(4);
// Bounds of the address inside the last entry read by entryBounds (module state: no allocation).
let addrStart = 0;
let addrEnd = 0;

export class TrustedProxyPolicy implements ClientIpPolicy {
  readonly trusted: CidrSet;
  /** 0 for CIDR mode. */
  readonly hops: number;

  constructor(trusted: CidrSet, hops: number) {
    this.trusted = trusted;
    this.hops = hops;
  }

  trusts(peer: string): boolean {
    return peer !== '' && this.trusted.has(peer);
  }

  /** hot path: reads the chain in place from the right; allocates only the resulting address. */
  resolve(peer: string, xff: string | string[] | undefined): string | null {
    if (peer === '') return null;
    if (!this.trusted.has(peer)) return peer;
    // Node joins repeated X-Forwarded-For lines with ", " in order; an array means the caller did not
    const text = xff === undefined ? '' : typeof xff === 'string' ? xff : xff.join(', ');
    const entries = countEntries(text);
    if (entries > MAX_FORWARDED_ENTRIES) return null;
    return this.hops > 0 ? this.byHops(text, entries) : this.byCidrs(text, entries, peer);
  }

  private byHops(text: string, entries: number): string | null {
    if (entries < this.hops) return null;
    let end = text.length;
    let start = entryStart(text, end);
    for (let k = 1; k < this.hops; k++) {
      end = start - 1;
      start = entryStart(text, end);
    }
    return entryBounds(text, start, end) ? canonical(text, addrStart, addrEnd) : null;
  }

  private byCidrs(text: string, entries: number, peer: string): string | null {
    // the peer is the last hop; with nothing forwarded, the trusted peer itself is the client
    if (entries === 0) return peer;
    let end = text.length;
    for (;;) {
      const start = entryStart(text, end);
      if (!entryBounds(text, start, end)) return null;
      const inTrusted = this.trusted.containsSlice(text, addrStart, addrEnd);
      if (inTrusted === undefined) return null;
      // every entry so far is a trusted proxy: at the leftmost one the chain ends, and it is the answer
      if (!inTrusted || start === 0) return canonical(text, addrStart, addrEnd);
      end = start - 1;
    }
  }
}

/** Where the entry ending at `end` starts: just after the previous comma, or 0. */
function entryStart(text: string, end: number): number {
  // lastIndexOf treats a negative position as 0 and would find a comma there
  return end === 0 ? 0 : text.lastIndexOf(',', end - 1) + 1;
}

/** Entries in a chain: 0 for an empty or blank header, else commas + 1 (empty entries count). */
function countEntries(text: string): number {
  let blank = true;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) commas++;
    else if (c !== 32 && c !== 9) blank = false;
  }
  return blank && commas === 0 ? 0 : commas + 1;
}

/**
 * Finds the address inside one entry text[start, end): trims blanks and removes a port, as in
 * `1.2.3.4:5678` and `[2001:db8::1]:443` (what an ALB writes with client ports on). Sets
 * addrStart/addrEnd; false when the entry has no address shape.
 */
function entryBounds(text: string, start: number, end: number): boolean {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return false;
  if (text.charCodeAt(start) === 91 /* [ */) {
    const close = text.indexOf(']', start);
    if (close === -1 || close >= end) return false;
    if (close + 1 < end && !isPort(text, close + 1, end)) return false;
    addrStart = start;
    addrEnd = close + 1;
    return true;
  }
  const colon = text.indexOf(':', start);
  if (colon !== -1 && colon < end) {
    const second = text.indexOf(':', colon + 1);
    if (second === -1 || second >= end) {
      // one colon: only IPv4 with a port has that shape
      if (!isPort(text, colon, end)) return false;
      end = colon;
    }
  }
  addrStart = start;
  addrEnd = end;
  return true;
}

/** `:` followed by a port number (0 to 65535) at text[from, end). */
function isPort(text: string, from: number, end: number): boolean {
  if (text.charCodeAt(from) !== 58 /* : */) return false;
  const digits = end - from - 1;
  if (digits < 1 || digits > 5) return false;
  let port = 0;
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    port = port * 10 + (c - 48);
  }
  return port <= 65535;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Canonical text of the address at text[start, end), null for garbage. */
function canonical(text: string, start: number, end: number): string | null {
  const r = readAddress(text, start, end, scratch);
  if (r === NOT_AN_ADDRESS) return null;
  if (r === IPV6_ADDRESS) return formatIPv6([scratch[0]!, scratch[1]!, scratch[2]!, scratch[3]!]);
  // a dotted quad the parser accepted is already canonical (it refuses leading zeros): reuse the text
  const colon = text.indexOf(':', start);
  if ((colon === -1 || colon >= end) && text.charCodeAt(start) !== 91 /* [ */) {
    return start === 0 && end === text.length ? text : text.slice(start, end);
  }
  return formatIPv4(r);
}

// --- command line ----------------------------------------------------------------------------

/**
 * `--trusted-proxies` values (repeatable, each a comma-separated list) as one list of entries.
 * Throws InvalidOption naming the first entry that is not an address or CIDR block.
 */
export function parseTrustedProxies(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const entry = part.trim();
      if (entry !== '') out.push(entry);
    }
  }
  try {
    CidrSet.parse(out);
  } catch (err) {
    throw new SkiffError(ErrorCode.InvalidOption, `--trusted-proxies: ${(err as Error).message}`, { cause: err });
  }
  return out;
}

/** `--trusted-hops N`: an integer from 1 to 30. */
export function parseTrustedHops(text: string): number {
  const t = text.trim();
  const n = /^[0-9]{1,2}$/.test(t) ? Number(t) : NaN;
  if (!(n >= 1 && n <= MAX_FORWARDED_ENTRIES)) {
    throw new SkiffError(ErrorCode.InvalidOption, `--trusted-hops: expected an integer from 1 to ${MAX_FORWARDED_ENTRIES}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** The policy for `--trusted-proxies` (possibly repeated) and `--trusted-hops` (null when absent). */
export function clientIpPolicyFromFlags(trustedProxies: readonly string[], trustedHops: string | null): ClientIpPolicy {
  const proxies = parseTrustedProxies(trustedProxies);
  const hops = trustedHops === null ? undefined : parseTrustedHops(trustedHops);
  if (hops !== undefined && proxies.length === 0) {
    throw new SkiffError(ErrorCode.InvalidOption, '--trusted-hops needs --trusted-proxies');
  }
  return createClientIpPolicy({ trustedProxies: proxies, ...(hops === undefined ? {} : { hops }) });
}
