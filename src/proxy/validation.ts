/**
 * Request checks that run before a request is routed or forwarded, for the shapes Node's parser
 * accepts but a proxy must not pass on: duplicate or malformed Host, duplicate Authorization,
 * header names with `_`, more header lines than the limit (Node would drop the extras silently),
 * fragments in the target, a path a backend could decode differently from the predicates (see
 * decodeRequestPath), HTTP versions other than 1.0 and 1.1 on HTTP/1 framing (`HTTP/2.0`, which
 * Node's parser takes), and methods a router never forwards (TRACE, CONNECT). Framing attacks
 * (CL+TE, bad chunk sizes, obs-fold, bare CR/LF, NUL) never get this far: llhttp refuses them.
 */
import type { IncomingMessage } from 'node:http';
import type { UnderscorePolicy } from './options.js';
import { equalsLower } from './field-name.js';
import { decodeRequestPath } from '../http/request-target.js';

export interface Rejection {
  readonly status: number;
  /** Stable reason for metrics and logs. */
  readonly reason: string;
}

export const Rejections = {
  method: Object.freeze({ status: 405, reason: 'method_not_allowed' }),
  headerLines: Object.freeze({ status: 431, reason: 'too_many_headers' }),
  duplicateHost: Object.freeze({ status: 400, reason: 'duplicate_host' }),
  invalidHost: Object.freeze({ status: 400, reason: 'invalid_host' }),
  duplicateAuthorization: Object.freeze({ status: 400, reason: 'duplicate_authorization' }),
  underscore: Object.freeze({ status: 400, reason: 'underscore_header' }),
  fragment: Object.freeze({ status: 400, reason: 'fragment' }),
  path: Object.freeze({ status: 400, reason: 'bad_path' }),
  version: Object.freeze({ status: 505, reason: 'http_version' }),
} as const satisfies Record<string, Rejection>;

export interface ValidationPolicy {
  readonly maxRequestHeaderLines: number;
  readonly underscoreHeaders: UnderscorePolicy;
}

/**
 * An authority as RFC 3986 §3.2.2 writes it: a reg-name (unreserved, pct-encoded, sub-delims),
 * an IPv4 address or a bracketed IPv6 literal, then an optional port. No userinfo, no spaces.
 */
const authorityPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]+)(?::[0-9]{0,5})?$/;

export function isValidAuthority(host: string): boolean {
  return host.length <= 255 && authorityPattern.test(host);
}

/** Most requests carry the Host of the one before: a string comparison saves the pattern. */
let lastValidHost = '\u0000';

/**
 * Returns why the request must be refused, or null. With the 'drop' policy for underscores it
 * also removes those fields from `req.headers`, so neither predicates nor the backend see them.
 * hot path: one pass over rawHeaders comparing lengths first; no allocation when the request is
 * clean.
 */
export function validateRequest(req: IncomingMessage, policy: ValidationPolicy, headers = req.headers): Rejection | null {
  // Node's parser takes HTTP/0.9 and HTTP/2.0 request lines; this proxy speaks 1.0 and 1.1 only
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor > 1) return Rejections.version;
  const method = req.method;
  if (method === 'TRACE' || method === 'CONNECT') return Rejections.method;
  const raw = req.rawHeaders;
  // Node stops collecting lines at maxHeadersCount, which the listener sets one past our limit:
  // reaching the limit's line count plus one means there were too many.
  if (raw.length > policy.maxRequestHeaderLines * 2) return Rejections.headerLines;
  let hosts = 0;
  let authorizations = 0;
  let underscores = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const n = name.length;
    if (n === 4) {
      if (equalsLower(name, 'host')) hosts++;
    } else if (n === 13) {
      if (equalsLower(name, 'authorization')) authorizations++;
    }
    if (name.indexOf('_') !== -1) underscores = true;
  }
  if (hosts > 1) return Rejections.duplicateHost;
  if (authorizations > 1) return Rejections.duplicateAuthorization;
  if (underscores) {
    if (policy.underscoreHeaders === 'reject') return Rejections.underscore;
    if (policy.underscoreHeaders === 'drop') dropUnderscoreFields(headers);
  }
  const host = headers.host;
  if (host !== undefined && host !== lastValidHost) {
    if (host === '' ? req.httpVersionMinor !== 0 || req.httpVersionMajor !== 1 : !isValidAuthority(host)) {
      return Rejections.invalidHost;
    }
    if (host !== '') lastValidHost = host;
  }
  const url = req.url;
  if (url !== undefined) {
    if (url.indexOf('#') !== -1) return Rejections.fragment;
    // hot path: one scan; only a target with an escape has its path checked
    if (url.indexOf('%') !== -1 && decodeRequestPath(pathOfTarget(url)) === null) return Rejections.path;
  }
  return null;
}

/** The path part of an origin-form or absolute-form target (`http://a.example/x?q` → `/x`). */
export function pathOfTarget(url: string): string {
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('//');
    if (scheme === -1) return '';
    start = scheme + 2;
    while (start < url.length && url.charCodeAt(start) !== 47 && url.charCodeAt(start) !== 63 /* ? */) start++;
  }
  const q = url.indexOf('?', start);
  return url.slice(start, q === -1 ? url.length : q);
}

function dropUnderscoreFields(headers: IncomingMessage['headers']): void {
  for (const name in headers) if (name.indexOf('_') !== -1) delete headers[name];
}
