/**
 * setDynamicBackendUrlFromHeader("X-Target"), setDynamicBackendHostFromHeader("X-Target-Host"),
 * setDynamicBackendSchemeFromHeader("X-Target-Scheme"): the target of a `<dynamic>` route taken
 * from a request header (its first value, as earlier filters left the request). An absent or
 * empty header changes nothing, as in Skipper. A value that is present but not usable (another
 * scheme, no host, a malformed host) leaves the target unset, and the proxy answers 502. The URL
 * and host variants also set the Host sent upstream: the host variant to the header's value, the
 * URL variant to the URL's host when the URL is usable.
 *
 * The header name is the only argument, checked when the route is built.
 */
import type { Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { headerNameArgs } from '../header/header-template.js';
import {
  DYNAMIC_BACKEND_HOST_KEY,
  DYNAMIC_BACKEND_SCHEME_KEY,
  DYNAMIC_BACKEND_URL_KEY,
  headerValue,
  targetHostAndScheme,
  targetUrl,
} from './dynamic-target.js';
import { SetDynamicBackendUrlFromHeader, SetDynamicBackendHostFromHeader, SetDynamicBackendSchemeFromHeader } from '../names.js';

class UrlFromHeader implements Filter {
  constructor(private readonly header: string) {}

  // hot path: one header read, one regexp on the value.
  request(ctx: FilterContext): void {
    const value = headerValue(ctx, this.header);
    if (value === '') return;
    ctx.state.set(DYNAMIC_BACKEND_URL_KEY, value);
    targetUrl(ctx, value);
  }
}

class HostFromHeader implements Filter {
  constructor(private readonly header: string) {}

  request(ctx: FilterContext): void {
    const value = headerValue(ctx, this.header);
    if (value === '') return;
    ctx.state.set(DYNAMIC_BACKEND_HOST_KEY, value);
    ctx.outgoing.headers.host = value;
    targetHostAndScheme(ctx);
  }
}

class SchemeFromHeader implements Filter {
  constructor(private readonly header: string) {}

  request(ctx: FilterContext): void {
    const value = headerValue(ctx, this.header);
    if (value === '') return;
    ctx.state.set(DYNAMIC_BACKEND_SCHEME_KEY, value);
    targetHostAndScheme(ctx);
  }
}

export const setDynamicBackendUrlFromHeader: FilterSpec = {
  name: SetDynamicBackendUrlFromHeader,
  create: (args) => new UrlFromHeader(headerNameArgs(SetDynamicBackendUrlFromHeader, args)),
};

export const setDynamicBackendHostFromHeader: FilterSpec = {
  name: SetDynamicBackendHostFromHeader,
  create: (args) => new HostFromHeader(headerNameArgs(SetDynamicBackendHostFromHeader, args)),
};

export const setDynamicBackendSchemeFromHeader: FilterSpec = {
  name: SetDynamicBackendSchemeFromHeader,
  create: (args) => new SchemeFromHeader(headerNameArgs(SetDynamicBackendSchemeFromHeader, args)),
};
