/**
 * Hop-by-hop fields (RFC 9110 §7.6.1): removed in both directions, together with every field the
 * Connection header names. undici also refuses some of them outright (keep-alive,
 * transfer-encoding, upgrade; expect), so leaving one in would turn into an error.
 */
import { equalsLower } from './field-name.js';

/** What a header field is to a proxy; see fieldKind. */
export const FieldKind = {
  plain: 0,
  /** Hop-by-hop other than Connection: removed both ways. */
  hopByHop: 1,
  /** Hop-by-hop, and it names more fields to remove. */
  connection: 2,
  /** A response without one gets skiff's. */
  server: 3,
  /** Answered by Node already (100-continue); not forwarded upstream. */
  expect: 4,
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/**
 * The kind of a field name in any letter case. The hop-by-hop fields are those of RFC 9110
 * §7.6.1 plus the old keep-alive, proxy-connection and proxy-auth fields.
 * hot path: a switch on the length, so that most names (content-type, date, x-…) are decided
 * without comparing a character; no lower-cased copy, no hashing of a fresh string.
 */
export function fieldKind(name: string): FieldKind {
  switch (name.length) {
    case 2:
      return equalsLower(name, 'te') ? FieldKind.hopByHop : FieldKind.plain;
    case 6:
      return equalsLower(name, 'server') ? FieldKind.server : equalsLower(name, 'expect') ? FieldKind.expect : FieldKind.plain;
    case 7:
      return equalsLower(name, 'trailer') || equalsLower(name, 'upgrade') ? FieldKind.hopByHop : FieldKind.plain;
    case 10:
      return equalsLower(name, 'connection') ? FieldKind.connection : equalsLower(name, 'keep-alive') ? FieldKind.hopByHop : FieldKind.plain;
    case 16:
      return equalsLower(name, 'proxy-connection') ? FieldKind.hopByHop : FieldKind.plain;
    case 17:
      return equalsLower(name, 'transfer-encoding') ? FieldKind.hopByHop : FieldKind.plain;
    case 18:
      return equalsLower(name, 'proxy-authenticate') ? FieldKind.hopByHop : FieldKind.plain;
    case 19:
      return equalsLower(name, 'proxy-authorization') ? FieldKind.hopByHop : FieldKind.plain;
    default:
      return FieldKind.plain;
  }
}

/** Fields skiff itself owns; a client cannot make us drop them by naming them in Connection. */
const managed = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-host', 'host']);

export function isHopByHop(name: string): boolean {
  const kind = fieldKind(name);
  return kind === FieldKind.hopByHop || kind === FieldKind.connection;
}

/**
 * Names listed in a Connection header value, lower-cased; null when there are none beyond the
 * usual keep-alive/close/upgrade tokens (the common case, which then costs nothing more).
 */
export function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  if (value === undefined || value === 'keep-alive' || value === 'close') return null;
  const text = Array.isArray(value) ? value.join(',') : value;
  let tokens: Set<string> | null = null;
  for (const raw of text.split(',')) {
    const t = raw.trim().toLowerCase();
    if (t === '' || t === 'close' || t === 'keep-alive' || t === 'upgrade' || managed.has(t)) continue;
    (tokens ??= new Set()).add(t);
  }
  return tokens;
}

/**
 * Request headers to send upstream: a copy without hop-by-hop fields, without those named in
 * Connection, and without `expect` (Node already answered 100-continue to the client).
 * hot path: one object, one pass over the headers.
 */
export function upstreamRequestHeaders(src: NodeJS.Dict<string | string[]>): Record<string, string | string[]> {
  const named = connectionTokens(src.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in src) {
    const value = src[name];
    if (value === undefined) continue;
    const kind = fieldKind(name);
    if (kind !== FieldKind.plain && kind !== FieldKind.server) continue;
    if (named !== null && named.has(name)) continue;
    out[name] = value;
  }
  return out;
}
