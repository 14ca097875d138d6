/**
 * Where a `<dynamic>` route sends its request: the setDynamicBackend* filters keep what they
 * were given in the state bag under Skipper's keys and derive `outgoing.backendUrl` from it, as
 * Skipper's proxy does once the filters ran:
 *
 *   - a URL (non-empty) wins: its scheme and host[:port] are used, its path and query are not;
 *   - else a host, with the scheme given, or `http` (skiff's listeners are plain HTTP: TLS ends in
 *     front of it, which is what Skipper's default of the listener's own scheme comes to).
 *
 * Only http and https are used. A value that is not usable leaves `outgoing.backendUrl` unset,
 * and the proxy answers 502. Skipper would fall back to the request's own Host there, which for
 * an ingress means calling itself or whatever host a client names; skiff does not.
 */
import type { FilterContext } from '../../src/spec.js';
import { firstValue } from '../header/header-args.js';

export const DYNAMIC_BACKEND_URL_KEY = 'backend:dynamic:url';
export const DYNAMIC_BACKEND_HOST_KEY = 'backend:dynamic:host';
export const DYNAMIC_BACKEND_SCHEME_KEY = 'backend:dynamic:scheme';

/** A DNS name or IPv4 address, or a bracketed IPv6 address; an optional decimal port. */
const hostPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::([0-9]{1,5}))?$/;

/** True for host[:port] that can go into a backend URL as it is. */
export function isUsableHost(host: string): boolean {
  const m = hostPattern.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

/** `http` or `https` (any case), lower-cased; null for any other scheme. */
export function usableScheme(scheme: string): 'http' | 'https' | null {
  const s = scheme.toLowerCase();
  return s === 'http' || s === 'https' ? s : null;
}

export interface UrlTarget {
  /** scheme://host[:port], what outgoing.backendUrl takes. */
  readonly backendUrl: string;
  /** host[:port] as written in the URL: the Host sent upstream. */
  readonly host: string;
}

const urlPattern = /^(https?):\/\/([^/?#]*)/i;

/**
 * The target of an absolute http(s) URL, null when it has another scheme, no host or a host
 * that is not usable. User information (`user:pw@`) is dropped, as Skipper drops it.
 * hot path (the FromHeader filters): one regexp and a few slices.
 */
export function urlTarget(url: string): UrlTarget | null {
  const m = urlPattern.exec(url);
  if (m === null) return null;
  const authority = m[2]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (!isUsableHost(host)) return null;
  return { backendUrl: `${m[1]!.toLowerCase()}://${host}`, host };
}

/** Sets or clears outgoing.backendUrl from a URL just put into the state bag. */
export function targetUrl(ctx: FilterContext, url: string): void {
  const target = urlTarget(url);
  if (target !== null) ctx.outgoing.headers.host = target.host;
  ctx.outgoing.backendUrl = target?.backendUrl;
}

/**
 * Derives outgoing.backendUrl from the host and scheme in the state bag, after one of them
 * changed. A URL in the bag wins (its filter set backendUrl already); without a host nothing
 * is set yet (a scheme alone names no backend).
 */
export function targetHostAndScheme(ctx: FilterContext): void {
  const state = ctx.state;
  const url = state.get(DYNAMIC_BACKEND_URL_KEY);
  if (typeof url === 'string' && url !== '') return;
  const host = state.get(DYNAMIC_BACKEND_HOST_KEY);
  if (typeof host !== 'string' || host === '') return;
  const given = state.get(DYNAMIC_BACKEND_SCHEME_KEY);
  const scheme = typeof given === 'string' && given !== '' ? usableScheme(given) : 'http';
  ctx.outgoing.backendUrl = scheme !== null && isUsableHost(host) ? `${scheme}://${host}` : undefined;
}

/** The first value of a request header (lower-case name) as earlier filters left it, '' when absent. */
export function headerValue(ctx: FilterContext, name: string): string {
  return firstValue(ctx.outgoing.headers[name]) ?? '';
}
