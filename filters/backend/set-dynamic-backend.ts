/**
 * setDynamicBackendUrl("https://api.example.org"), setDynamicBackendHost("api.example.org:8443"),
 * setDynamicBackendScheme("https"): the target of a `<dynamic>` route, fixed in the route (see
 * dynamic-target.ts for how URL, host and scheme combine). The URL and host filters also set the
 * Host sent upstream to that host, as Skipper does. On a route whose backend is not `<dynamic>`
 * they change only that Host.
 *
 * The value is checked when the route is built: a URL must be absolute http(s) with a host, a
 * host must be host[:port], a scheme http or https. Skipper accepts any string and fails per
 * request; here such a route is set aside with the reason.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import {
  DYNAMIC_BACKEND_HOST_KEY,
  DYNAMIC_BACKEND_SCHEME_KEY,
  DYNAMIC_BACKEND_URL_KEY,
  isUsableHost,
  targetHostAndScheme,
  urlTarget,
  usableScheme,
  type UrlTarget,
} from './dynamic-target.js';
import { SetDynamicBackendUrl, SetDynamicBackendHost, SetDynamicBackendScheme } from '../names.js';

class FixedUrl implements Filter {
  constructor(
    private readonly url: string,
    private readonly target: UrlTarget,
  ) {}

  // hot path: one map write, two property writes.
  request(ctx: FilterContext): void {
    ctx.state.set(DYNAMIC_BACKEND_URL_KEY, this.url);
    ctx.outgoing.headers.host = this.target.host;
    ctx.outgoing.backendUrl = this.target.backendUrl;
  }
}

class FixedHost implements Filter {
  constructor(private readonly host: string) {}

  request(ctx: FilterContext): void {
    ctx.state.set(DYNAMIC_BACKEND_HOST_KEY, this.host);
    ctx.outgoing.headers.host = this.host;
    targetHostAndScheme(ctx);
  }
}

class FixedScheme implements Filter {
  constructor(private readonly scheme: string) {}

  request(ctx: FilterContext): void {
    ctx.state.set(DYNAMIC_BACKEND_SCHEME_KEY, this.scheme);
    targetHostAndScheme(ctx);
  }
}

function oneString(name: string, args: readonly Arg[], what: string): string {
  expectCount(name, args, 1);
  return stringArg(name, args, 0, what);
}

export const setDynamicBackendUrl: FilterSpec = {
  name: SetDynamicBackendUrl,
  create(args: readonly Arg[]): Filter {
    const url = oneString(SetDynamicBackendUrl, args, 'the backend URL');
    const target = urlTarget(url);
    if (target === null) {
      throw invalidArgs(SetDynamicBackendUrl, `${JSON.stringify(url)} is not an absolute http or https URL with a usable host`);
    }
    return new FixedUrl(url, target);
  },
};

export const setDynamicBackendHost: FilterSpec = {
  name: SetDynamicBackendHost,
  create(args: readonly Arg[]): Filter {
    const host = oneString(SetDynamicBackendHost, args, 'the backend host');
    if (!isUsableHost(host)) {
      throw invalidArgs(SetDynamicBackendHost, `${JSON.stringify(host)} is not a host or host:port`);
    }
    return new FixedHost(host);
  },
};

export const setDynamicBackendScheme: FilterSpec = {
  name: SetDynamicBackendScheme,
  create(args: readonly Arg[]): Filter {
    const scheme = oneString(SetDynamicBackendScheme, args, 'the backend scheme');
    const usable = usableScheme(scheme);
    if (usable === null) {
      throw invalidArgs(SetDynamicBackendScheme, `the scheme must be http or https, got ${JSON.stringify(scheme)}`);
    }
    return new FixedScheme(usable);
  },
};
