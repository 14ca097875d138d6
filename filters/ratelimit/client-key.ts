/**
 * Which client a request counts for, as clientRatelimit's optional third argument says:
 *   - none: the client address. Skipper takes the first X-Forwarded-For entry, which any client
 *     can write; skiff takes the address its trusted-proxy rules resolved (`request.clientIp`),
 *     so a client cannot escape its limit by making up a new X-Forwarded-For per request;
 *   - a header name ("Authorization"): that header's first value;
 *   - names joined by commas ("X-Forwarded-For,Authorization"): the values one after the other,
 *     X-Forwarded-For again meaning the client address.
 * An empty key means the request is not limited, as in Skipper.
 */
import type { RequestView } from '../../src/spec.js';

export type ClientKey = (req: RequestView) => string;

const clientAddress: ClientKey = (req) => req.clientIp ?? req.remoteAddress;

function headerValue(name: string): ClientKey {
  const lower = name.toLowerCase();
  return (req) => {
    const value = req.headers[lower];
    return value === undefined ? '' : Array.isArray(value) ? (value[0] ?? '') : value;
  };
}

function part(name: string): ClientKey {
  return name.trim().toLowerCase() === 'x-forwarded-for' ? clientAddress : headerValue(name.trim());
}

export function clientKeyOf(spec: string | undefined): ClientKey {
  if (spec === undefined) return clientAddress;
  if (!spec.includes(',')) return part(spec);
  const parts = spec.split(',').map(part);
  return (req) => {
    let key = '';
    for (const p of parts) key += p(req);
    return key;
  };
}
