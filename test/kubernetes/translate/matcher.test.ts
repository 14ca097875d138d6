/**
 * Translated fixtures pushed through the real route table: the Ingress path and host semantics
 * (the kubernetes.io examples table, the conformance path and host scenarios, default-backend
 * scoping, backend-weights shares) are checked on what the matcher actually picks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBackend } from '../../../src/backend/compile.js';
import { translate } from '../../../src/kubernetes/translate/index.js';
import type { TranslateOptions } from '../../../src/kubernetes/translate/index.js';
import { builtinPredicates } from '../../../src/predicates/index.js';
import { shutdownSpec } from '../../../src/predicates/shutdown.js';
import { Registry } from '../../../src/registry.js';
import { buildTable } from '../../../src/routing/build.js';
import type { RouteTable } from '../../../src/routing/table.js';
import { SERVICE_NAME_LABEL } from '../../../src/kubernetes/objects.js';
import { builtinFilters } from '../../../filters/index.js';
import { requestView } from '../../helpers/request.js';
import { loadSnapshot } from './load-fixture.js';

const deps = {
  predicates: new Registry([...builtinPredicates(), shutdownSpec(() => false)]),
  filters: new Registry(builtinFilters()),
  compileBackend,
};

interface Table {
  readonly routes: RouteTable;
  /** Endpoint address → the Service it belongs to (fixture addresses are unique per Service). */
  readonly services: ReadonlyMap<string, string>;
}

function table(fixture: string, options: TranslateOptions = {}): Table {
  const snapshot = loadSnapshot(join(import.meta.dirname, 'fixtures', fixture));
  const result = translate(snapshot, { ingressClasses: ['skiff'], ...options });
  const routes = buildTable(result.routes, deps);
  expect(routes.invalid).toEqual([]);
  const services = new Map<string, string>();
  for (const slice of snapshot.endpointSlices) {
    for (const ep of slice.endpoints ?? []) for (const a of ep.addresses) services.set(a, slice.metadata.labels![SERVICE_NAME_LABEL]!);
  }
  return { routes, services };
}

/**
 * Who answers: the Service name of a backend route (the last part of its id), "404" for a route
 * that answers locally without a status (the per-host catch-all), null when nothing matches
 * (the proxy's 404 too).
 */
function servedBy(t: Table, host: string, url: string, random?: number): string | null {
  const req = requestView({ host, url });
  if (random !== undefined) Object.defineProperty(req, 'random', { value: random });
  const match = t.routes.lookup(req);
  if (match === null) return null;
  const backend = match.route.definition.backend;
  if (backend.type === 'shunt' && match.route.definition.filters.length === 0) return '404';
  const address = backend.type === 'network' ? backend.address : backend.type === 'lb' ? backend.endpoints[0]! : '';
  const service = t.services.get(new URL(address).hostname);
  if (service === undefined) throw new Error(`route ${match.route.id} has no fixture Service backend`);
  return service;
}

describe('the kubernetes.io examples table', () => {
  const t = table('path-types/kubernetes-examples.yaml');
  // [kind and paths, host carrying those rules, request path, expected Service or null for "no match"]
  const rows: [string, string, string, string | null][] = [
    ['Prefix /', 'prefix-root.example', '/', 'root'],
    ['Prefix /', 'prefix-root.example', '/any/path', 'root'],
    ['Exact /foo', 'exact-foo.example', '/foo', 'foo-exact'],
    ['Exact /foo', 'exact-foo.example', '/bar', null],
    ['Exact /foo', 'exact-foo.example', '/foo/', null],
    ['Exact /foo', 'exact-foo.example', '/foo?x=1', 'foo-exact'],
    ['Exact /foo/', 'exact-foo-slash.example', '/foo', null],
    ['Exact /foo/', 'exact-foo-slash.example', '/foo/', 'foo-slash-exact'],
    ['Prefix /foo', 'prefix-foo.example', '/foo', 'foo-prefix'],
    ['Prefix /foo', 'prefix-foo.example', '/foo/', 'foo-prefix'],
    ['Prefix /foo', 'prefix-foo.example', '/foo/bar', 'foo-prefix'],
    ['Prefix /foo', 'prefix-foo.example', '/foobar', null],
    ['Prefix /foo/', 'prefix-foo-slash.example', '/foo', 'foo-slash-prefix'],
    ['Prefix /foo/', 'prefix-foo-slash.example', '/foo/', 'foo-slash-prefix'],
    ['Prefix /aaa/bb', 'prefix-aaa-bb.example', '/aaa/bbb', null],
    ['Prefix /aaa/bbb', 'prefix-aaa-bbb.example', '/aaa/bbb', 'aaa-bbb'],
    ['Prefix /aaa/bbb/', 'prefix-aaa-bbb-slash.example', '/aaa/bbb', 'aaa-bbb-slash'],
    ['Prefix /aaa/bbb', 'prefix-aaa-bbb.example', '/aaa/bbb/', 'aaa-bbb'],
    ['Prefix /aaa/bbb', 'prefix-aaa-bbb.example', '/aaa/bbb/ccc', 'aaa-bbb'],
    ['Prefix /aaa/bbb', 'prefix-aaa-bbb.example', '/aaa/bbbxyz', null],
    ['Prefix /, /aaa', 'root-aaa.example', '/aaa/ccc', 'aaa'],
    ['Prefix /, /aaa, /aaa/bbb', 'root-aaa-bbb.example', '/aaa/bbb', 'aaa-bbb'],
    ['Prefix /, /aaa, /aaa/bbb', 'root-aaa-bbb.example', '/ccc', 'root'],
    ['Prefix /aaa (default backend)', 'aaa-only.example', '/ccc', 'default-backend'],
    ['Prefix /foo and Exact /foo', 'mixed.example', '/foo', 'foo-exact'],
    ['Prefix /foo and Exact /foo', 'mixed.example', '/foo/', 'foo-prefix'],
  ];
  it.each(rows)('%s on %s: %s → %s', (_kind, host, url, expected) => {
    const got = servedBy(t, host, url);
    // "no match" is the host's own 404, never another host's route or default backend
    expect(got).toBe(expected ?? '404');
  });

  it('answers hosts no rule names with the host-less default backend', () => {
    expect(servedBy(t, 'unknown.example', '/anything')).toBe('default-backend');
  });
});

describe('conformance path_rules.feature', () => {
  const t = table('path-types/conformance-path-rules.yaml');
  const scenarios: [string, string, string | null][] = [
    ['exact-path-rules', '/foo', 'foo-exact'],
    ['exact-path-rules', '/foo/', null],
    ['exact-path-rules', '/FOO', null],
    ['exact-path-rules', '/bar', null],
    ['prefix-path-rules', '/foo', 'foo-prefix'],
    ['prefix-path-rules', '/foo/', 'foo-prefix'],
    ['prefix-path-rules', '/FOO', null],
    ['prefix-path-rules', '/aaa/bbb', 'aaa-slash-bbb-prefix'],
    ['prefix-path-rules', '/aaa/bbb/ccc', 'aaa-slash-bbb-prefix'],
    ['prefix-path-rules', '/aaa/ccc', 'aaa-prefix'],
    ['prefix-path-rules', '/aaaccc', null],
    ['mixed-path-rules', '/foo', 'foo-exact'],
    ['trailing-slash-path-rules', '/aaa/bbb', 'aaa-slash-bbb-slash-prefix'],
    ['trailing-slash-path-rules', '/aaa/bbb/', 'aaa-slash-bbb-slash-prefix'],
    ['trailing-slash-path-rules', '/foo', null],
  ];
  it.each(scenarios)('%s %s → %s', (host, url, expected) => {
    expect(servedBy(t, host, url)).toBe(expected ?? '404');
  });
});

describe('conformance host_rules.feature', () => {
  const t = table('hosts/conformance-host-rules.yaml');
  it.each([
    ['foo.bar.com', 'foo-bar-com'],
    ['FOO.Bar.com', 'foo-bar-com'],
    ['foo.bar.com:8080', 'foo-bar-com'],
    ['foo.bar.com.', 'foo-bar-com'],
    ['bar.foo.com', 'wildcard-foo-com'],
    ['Bar.FOO.com:80', 'wildcard-foo-com'],
    ['subdomain.bar.com', null],
    ['baz.bar.foo.com', null],
    ['foo.com', null],
  ])('%s → %s', (host, expected) => {
    expect(servedBy(t, host, '/')).toBe(expected);
  });
});

describe('host scoping', () => {
  it('keeps one host’s misses out of another Ingress’s default backend', () => {
    const t = table('default-backend/scoped.yaml');
    expect(servedBy(t, 'shop.example.org', '/cart/items')).toBe('cart');
    expect(servedBy(t, 'shop.example.org', '/missing')).toBe('shop-fallback');
    expect(servedBy(t, 'blog.example.org', '/posts/1')).toBe('blog');
    expect(servedBy(t, 'blog.example.org', '/missing')).toBe('404');
    expect(servedBy(t, 'elsewhere.example.org', '/')).toBe('shop-fallback');
  });

  it('applies rules without host to the hosts no rule names', () => {
    const t = table('hosts/no-host.yaml');
    expect(servedBy(t, 'anything.example', '/api/v1')).toBe('api');
    expect(servedBy(t, 'anything.example', '/status')).toBe('api');
    expect(servedBy(t, 'anything.example', '/other')).toBe(null);
    expect(servedBy(t, 'www.example.org', '/index.html')).toBe('web');
    expect(servedBy(t, 'www.example.org', '/api/v1')).toBe('404');
  });

  it('lets a precise host win over a wildcard covering it', () => {
    const t = table('hosts/case-and-invalid.yaml');
    expect(servedBy(t, 'shop.example.org', '/')).toBe('shop');
    expect(servedBy(t, 'x.apps.example.org', '/')).toBe('shop');
    expect(servedBy(t, 'a.b.apps.example.org', '/')).toBe(null);
  });
});

describe('ImplementationSpecific paths', () => {
  it('are anchored regexps in kubernetes-ingress mode, below them the host 404', () => {
    const t = table('path-types/implementation-specific.yaml');
    expect(servedBy(t, 'app.example.org', '/api/v2/users')).toBe('app');
    expect(servedBy(t, 'app.example.org', '/staticfiles')).toBe('app');
    expect(servedBy(t, 'app.example.org', '/')).toBe('app');
  });

  it('are element-wise prefixes in path-prefix mode', () => {
    const t = table('path-types/implementation-specific-path-prefix.yaml', { pathMode: 'path-prefix' });
    expect(servedBy(t, 'app.example.org', '/static/x')).toBe('app');
    expect(servedBy(t, 'app.example.org', '/staticfiles')).toBe('app'); // through PathSubtree("/")
  });
});

describe('backend-weights', () => {
  /** Shares of n requests whose draws are spread evenly over [0, 1). */
  function shares(t: Table, host: string, url: string, n = 20_000): Map<string, number> {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const who = servedBy(t, host, url, (i + 0.5) / n) ?? 'none';
      counts.set(who, (counts.get(who) ?? 0) + 1);
    }
    for (const [k, v] of counts) counts.set(k, v / n);
    return counts;
  }

  it('splits 20/60/20 between three Services', () => {
    const s = shares(table('backend-weights/three-services-20-60-20.yaml'), 'test.example.org', '/');
    expect(s.get('service1v1')).toBeCloseTo(0.2, 1);
    expect(s.get('service1v2')).toBeCloseTo(0.6, 1);
    expect(s.get('service1v3')).toBeCloseTo(0.2, 1);
    expect(s.get('none')).toBeUndefined();
  });

  it('splits 1/2/3/4 and gives nothing to a weight of 0', () => {
    const t = table('backend-weights/four-services-and-zero.yaml');
    const four = shares(t, 'app.example.org', '/four');
    expect(four.get('a')).toBeCloseTo(0.1, 1);
    expect(four.get('b')).toBeCloseTo(0.2, 1);
    expect(four.get('c')).toBeCloseTo(0.3, 1);
    expect(four.get('d')).toBeCloseTo(0.4, 1);
    const zero = shares(t, 'app.example.org', '/zero');
    expect([...zero.keys()].sort()).toEqual(['a', 'b']);
    expect(zero.get('a')).toBeCloseTo(1 / 3, 1);
  });
});
