/**
 * The placeholders a template may hold (`${request.header.X}`, `${id}`, ...): parsing a
 * placeholder's name into a resolver kind at build time, and resolving a kind against a filter
 * context at request time.
 */
import { ErrorCode, SkiffError } from '../errors.js';
import type { FilterContext } from '../spec.js';
import { findCookie } from './cookies.js';
import { firstForwarded, lastForwarded } from './forwarded.js';

export enum PartKind {
  Literal,
  Method,
  Host,
  Path,
  RawQuery,
  Query,
  RequestHeader,
  Cookie,
  Source,
  SourceFromLast,
  ClientIp,
  ResponseHeader,
  Param,
}

export interface Placeholder {
  readonly kind: PartKind;
  /** The query, header (lower-case), cookie or parameter name; '' for kinds without one. */
  readonly key: string;
}

const fixed: ReadonlyMap<string, PartKind> = new Map([
  ['request.method', PartKind.Method],
  ['request.host', PartKind.Host],
  ['request.path', PartKind.Path],
  ['request.rawQuery', PartKind.RawQuery],
  ['request.source', PartKind.Source],
  ['request.sourceFromLast', PartKind.SourceFromLast],
  ['request.clientIP', PartKind.ClientIp],
]);

const keyed: ReadonlyArray<readonly [string, PartKind, boolean]> = [
  // prefix, kind, whether the key is a header name (matched case-insensitively)
  ['request.query.', PartKind.Query, false],
  ['request.header.', PartKind.RequestHeader, true],
  ['request.cookie.', PartKind.Cookie, false],
  ['response.header.', PartKind.ResponseHeader, true],
];

/**
 * Turns the text between `${` and `}` into a placeholder. Names under `request.` and
 * `response.` must be known ones, so that a typo fails the route instead of never resolving;
 * every other name is a path parameter.
 */
export function parsePlaceholder(name: string, template: string): Placeholder {
  const kind = fixed.get(name);
  if (kind !== undefined) return { kind, key: '' };
  for (const [prefix, k, isHeader] of keyed) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    if (key === '') throw unknown(name, template);
    if (k === PartKind.RequestHeader && key.toLowerCase() === 'host') return { kind: PartKind.Host, key: '' };
    return { kind: k, key: isHeader ? key.toLowerCase() : key };
  }
  if (name.startsWith('request.') || name.startsWith('response.')) throw unknown(name, template);
  return { kind: PartKind.Param, key: name };
}

function unknown(name: string, template: string): SkiffError {
  return new SkiffError(ErrorCode.InvalidArgs, `unknown placeholder \${${name}} in template "${template}"`);
}

/**
 * The value of one placeholder, undefined when it cannot be resolved. Request values are read
 * from the outgoing request, so that they reflect what earlier filters changed (as in Skipper,
 * where templates read the request being proxied).
 * hot path: a switch on a small integer, property reads, no allocation in the common cases.
 */
export function resolvePlaceholder(kind: PartKind, key: string, ctx: FilterContext): string | undefined {
  const out = ctx.outgoing;
  switch (kind) {
    case PartKind.Method:
      return out.method;
    case PartKind.Host: {
      const host = firstValue(out.headers.host);
      return host === undefined || host === '' ? ctx.request.host : host;
    }
    case PartKind.Path:
      return out.path;
    case PartKind.RawQuery:
      return out.query;
    case PartKind.Query:
      // The request's parsed query is cached; parse again only when a filter changed the query.
      if (out.query === ctx.request.rawQuery) return ctx.request.query(key)?.[0];
      return new URLSearchParams(out.query).get(key) ?? undefined;
    case PartKind.RequestHeader:
      return firstValue(out.headers[key]);
    case PartKind.Cookie: {
      const header = out.headers.cookie;
      if (header === undefined) return undefined;
      if (header === ctx.request.headers.cookie) return ctx.request.cookie(key);
      return findCookie(typeof header === 'string' ? header : header.join('; '), key);
    }
    case PartKind.Source: {
      const xff = firstValue(out.headers['x-forwarded-for']);
      return (xff === undefined ? undefined : firstForwarded(xff)) ?? ctx.request.remoteAddress;
    }
    case PartKind.SourceFromLast: {
      const xff = lastValue(out.headers['x-forwarded-for']);
      return (xff === undefined ? undefined : lastForwarded(xff)) ?? ctx.request.remoteAddress;
    }
    case PartKind.ClientIp:
      return ctx.request.remoteAddress;
    case PartKind.ResponseHeader:
      return ctx.response === null ? undefined : firstValue(ctx.response.headers[key]);
    case PartKind.Param: {
      // typeof guards against inherited names such as `constructor`.
      const value = ctx.params[key];
      return typeof value === 'string' ? value : undefined;
    }
    default:
      return undefined;
  }
}

// Header records are plain objects: anything not a string or an array (an inherited
// `constructor`, say) counts as absent.
function firstValue(v: string | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v[0] : undefined;
}

function lastValue(v: string | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v[v.length - 1] : undefined;
}
