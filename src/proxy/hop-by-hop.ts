/**
 * Hop-by-hop fields (RFC 9110 §7.6.1): removed in both directions, together with every field the
 * Connection header names. undici also refuses some of them outright (keep-alive,
 * transfer-encoding, upgrade; expect), so leaving one in would turn into an error.
 */

const hopByHop = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** Fields skiff itself owns; a client cannot make us drop them by naming them in Connection. */
const managed = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-host', 'host']);

export function isHopByHop(lowerName: string): boolean {
  return hopByHop.has(lowerName);
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
    if (value === undefined || hopByHop.has(name) || name === 'expect') continue;
    if (named !== null && named.has(name)) continue;
    out[name] = value;
  }
  return out;
}
