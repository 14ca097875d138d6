import { describe, expect, it } from 'vitest';
import {
  setDynamicBackendHost,
  setDynamicBackendScheme,
  setDynamicBackendUrl,
} from '../../../filters/backend/set-dynamic-backend.js';
import {
  setDynamicBackendHostFromHeader,
  setDynamicBackendSchemeFromHeader,
  setDynamicBackendUrlFromHeader,
} from '../../../filters/backend/set-dynamic-backend-from-header.js';
import {
  DYNAMIC_BACKEND_HOST_KEY,
  DYNAMIC_BACKEND_SCHEME_KEY,
  DYNAMIC_BACKEND_URL_KEY,
  isUsableHost,
  urlTarget,
} from '../../../filters/backend/dynamic-target.js';
import type { Arg, FilterSpec } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, type TestFilterContext } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

const all: FilterSpec[] = [
  setDynamicBackendUrl,
  setDynamicBackendHost,
  setDynamicBackendScheme,
  setDynamicBackendUrlFromHeader,
  setDynamicBackendHostFromHeader,
  setDynamicBackendSchemeFromHeader,
];

describe('setDynamicBackend*: arguments', () => {
  for (const spec of all) {
    it.each([[[]], [[1]], [['a', 'b']], [[{ regexp: 'x' }]]] as Arg[][][])(`${spec.name} rejects %j`, (args) => {
      expectInvalidArgs(spec, args);
    });
  }

  it.each([
    'ftp://127.0.0.1',
    'example.org',
    'example.org:8080',
    '/path',
    'http://',
    'http:///path',
    'http:example.org',
    'http:\\\\example.org',
    'http://exa mple.org',
    'http://example.org:99999',
    'http://example.org:',
    '',
  ])('setDynamicBackendUrl rejects %j', (url) => {
    expectInvalidArgs(setDynamicBackendUrl, [url]);
  });

  it.each(['', 'a/b', 'a b', 'user@h', 'h:99999', 'h:', 'h:x', 'http://h', 'h?x', 'h#x', 'bücher.de'])(
    'setDynamicBackendHost rejects %j',
    (host) => {
      expectInvalidArgs(setDynamicBackendHost, [host]);
    },
  );

  it.each(['', 'ftp', 'ws', 'http://', 'https:'])('setDynamicBackendScheme rejects %j', (scheme) => {
    expectInvalidArgs(setDynamicBackendScheme, [scheme]);
  });

  for (const spec of [setDynamicBackendUrlFromHeader, setDynamicBackendHostFromHeader, setDynamicBackendSchemeFromHeader]) {
    it.each(['', 'X Target', 'X-Target:', '__proto__'])(`${spec.name} rejects the header name %j`, (name) => {
      expectInvalidArgs(spec, [name]);
    });
  }
});

describe('isUsableHost and urlTarget', () => {
  it.each(['example.org', 'Example.ORG', 'a_b.internal', '10.0.0.1', '10.0.0.1:8080', 'h:65535', '[::1]', '[::1]:8443', 'svc.ns.svc.cluster.local:80'])(
    '%j is a usable host',
    (host) => {
      expect(isUsableHost(host)).toBe(true);
    },
  );

  it.each([
    ['http://a.example', 'http://a.example', 'a.example'],
    ['https://a.example:8443/x/y?q=1#f', 'https://a.example:8443', 'a.example:8443'],
    ['HTTPS://User:pw@A.Example', 'https://A.Example', 'A.Example'],
    ['http://[::1]:9000', 'http://[::1]:9000', '[::1]:9000'],
  ])('%j → %j with Host %j', (url, backendUrl, host) => {
    expect(urlTarget(url)).toEqual({ backendUrl, host });
  });
});

function run(ctx: TestFilterContext, spec: FilterSpec, ...args: Arg[]): TestFilterContext {
  return runRequest(createFilter(spec, ...args), ctx);
}

describe('fixed targets', () => {
  it('setDynamicBackendUrl: scheme and host of the URL, Host sent upstream, state entry', () => {
    const ctx = run(filterContext({ host: 'front.example' }), setDynamicBackendUrl, 'https://api.example:8443/ignored?q=1');
    expect(ctx.outgoing.backendUrl).toBe('https://api.example:8443');
    expect(ctx.outgoing.headers.host).toBe('api.example:8443');
    expect(ctx.outgoing.path).toBe('/');
    expect(ctx.state.get(DYNAMIC_BACKEND_URL_KEY)).toBe('https://api.example:8443/ignored?q=1');
  });

  it('setDynamicBackendHost: plain http by default', () => {
    const ctx = run(filterContext(), setDynamicBackendHost, 'api.example:8080');
    expect(ctx.outgoing.backendUrl).toBe('http://api.example:8080');
    expect(ctx.outgoing.headers.host).toBe('api.example:8080');
    expect(ctx.state.get(DYNAMIC_BACKEND_HOST_KEY)).toBe('api.example:8080');
  });

  it('host and scheme combine in either order', () => {
    const schemeFirst = run(run(filterContext(), setDynamicBackendScheme, 'https'), setDynamicBackendHost, 'h');
    const hostFirst = run(run(filterContext(), setDynamicBackendHost, 'h'), setDynamicBackendScheme, 'HTTPS');
    expect(schemeFirst.outgoing.backendUrl).toBe('https://h');
    expect(hostFirst.outgoing.backendUrl).toBe('https://h');
    expect(hostFirst.state.get(DYNAMIC_BACKEND_SCHEME_KEY)).toBe('https');
  });

  it('a scheme alone names no backend and leaves the Host alone', () => {
    const ctx = run(filterContext({ host: 'front.example' }), setDynamicBackendScheme, 'https');
    expect(ctx.outgoing.backendUrl).toBeUndefined();
    expect(ctx.outgoing.headers.host).toBe('front.example');
  });

  it('a URL wins over host and scheme, before or after them; the last filter sets the Host', () => {
    const urlLast = run(run(run(filterContext(), setDynamicBackendScheme, 'https'), setDynamicBackendHost, 'h1'), setDynamicBackendUrl, 'http://u:81');
    expect(urlLast.outgoing.backendUrl).toBe('http://u:81');
    expect(urlLast.outgoing.headers.host).toBe('u:81');
    const urlFirst = run(run(run(filterContext(), setDynamicBackendUrl, 'http://u:81'), setDynamicBackendHost, 'h1'), setDynamicBackendScheme, 'https');
    expect(urlFirst.outgoing.backendUrl).toBe('http://u:81');
    expect(urlFirst.outgoing.headers.host).toBe('h1');
  });

  it('a later host replaces an earlier one', () => {
    const ctx = run(run(filterContext(), setDynamicBackendHost, 'h1'), setDynamicBackendHost, 'h2:9');
    expect(ctx.outgoing.backendUrl).toBe('http://h2:9');
  });
});

describe('targets from headers', () => {
  it('setDynamicBackendUrlFromHeader: a usable URL', () => {
    const ctx = run(filterContext({ headers: { 'x-target': 'https://api.example:8443/p' } }), setDynamicBackendUrlFromHeader, 'X-Target');
    expect(ctx.outgoing.backendUrl).toBe('https://api.example:8443');
    expect(ctx.outgoing.headers.host).toBe('api.example:8443');
    expect(ctx.state.get(DYNAMIC_BACKEND_URL_KEY)).toBe('https://api.example:8443/p');
  });

  it.each(['ftp://api.example', 'api.example', 'http://', 'http://a b', 'http:api.example', 'javascript:alert(1)'])(
    'setDynamicBackendUrlFromHeader: %j leaves the target unset and the Host as it was',
    (value) => {
      const ctx = filterContext({ host: 'front.example', headers: { 'x-target': value } });
      run(ctx, setDynamicBackendHost, 'h');
      run(ctx, setDynamicBackendUrlFromHeader, 'x-target');
      expect(ctx.outgoing.backendUrl).toBeUndefined();
      expect(ctx.outgoing.headers.host).toBe('h');
      expect(ctx.state.get(DYNAMIC_BACKEND_URL_KEY)).toBe(value);
    },
  );

  it.each([setDynamicBackendUrlFromHeader, setDynamicBackendHostFromHeader, setDynamicBackendSchemeFromHeader])(
    '%o: an absent or empty header changes nothing',
    (spec) => {
      for (const headers of [{}, { 'x-target': '' }]) {
        const ctx = run(filterContext({ host: 'front.example', headers }), setDynamicBackendUrl, 'http://fixed:1');
        const before = new Map(ctx.state);
        run(ctx, spec, 'X-Target');
        expect(ctx.outgoing.backendUrl).toBe('http://fixed:1');
        expect(ctx.outgoing.headers.host).toBe('fixed:1');
        expect(ctx.state).toEqual(before);
      }
    },
  );

  it('setDynamicBackendHostFromHeader: the host, and the Host sent upstream', () => {
    const ctx = run(filterContext({ headers: { 'x-host': '10.1.2.3:8080' } }), setDynamicBackendHostFromHeader, 'X-Host');
    expect(ctx.outgoing.backendUrl).toBe('http://10.1.2.3:8080');
    expect(ctx.outgoing.headers.host).toBe('10.1.2.3:8080');
  });

  it('setDynamicBackendHostFromHeader: a malformed host leaves the target unset', () => {
    const ctx = filterContext({ headers: { 'x-host': 'evil.example/path' } });
    run(ctx, setDynamicBackendHost, 'good:1');
    run(ctx, setDynamicBackendHostFromHeader, 'x-host');
    expect(ctx.outgoing.backendUrl).toBeUndefined();
  });

  it('setDynamicBackendSchemeFromHeader: http or https in any case, else no target', () => {
    const ok = filterContext({ headers: { 'x-scheme': 'HTTPS' } });
    run(run(ok, setDynamicBackendHost, 'h'), setDynamicBackendSchemeFromHeader, 'x-scheme');
    expect(ok.outgoing.backendUrl).toBe('https://h');
    const bad = filterContext({ headers: { 'x-scheme': 'gopher' } });
    run(run(bad, setDynamicBackendHost, 'h'), setDynamicBackendSchemeFromHeader, 'x-scheme');
    expect(bad.outgoing.backendUrl).toBeUndefined();
    expect(bad.state.get(DYNAMIC_BACKEND_SCHEME_KEY)).toBe('gopher');
  });

  it('reads the header as earlier filters left it, first value of several', () => {
    const ctx = filterContext({ headers: { 'x-target': 'http://client-said:1' } });
    ctx.outgoing.headers['x-target'] = ['http://filter-said:2', 'http://other:3'];
    run(ctx, setDynamicBackendUrlFromHeader, 'x-target');
    expect(ctx.outgoing.backendUrl).toBe('http://filter-said:2');
  });
});
