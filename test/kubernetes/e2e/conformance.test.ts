/**
 * The ingress-controller-conformance scenarios (path rules, host rules, default backend, ingress
 * class, load balancing) and the kubernetes.io path examples, as requests through the real proxy
 * with Ingresses read from the API. Each feature runs on its own cluster, as the suite's
 * namespaces would, so one feature's default backend never answers another's misses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, eventually, expose, ingress, NS, rule, send, servedBy, startCluster, startPod, startPods } from './harness.js';
import type { Cluster, Pod } from './harness.js';

const CLASS = 'conformance';

interface Feature {
  cluster: Cluster;
  pods: Pod[];
}

/** A cluster serving class `conformance`, with one pod per named Service, ready before the Ingress. */
function feature(services: readonly string[], options: { statusAddress?: string } = {}): Feature {
  const f = { pods: [] } as unknown as Feature;
  beforeAll(async () => {
    f.cluster = await startCluster({ listeners: [{ name: 'default', classes: [CLASS] }], ...options });
    for (const name of services) {
      const pod = await startPod(name);
      f.pods.push(pod);
      expose(f.cluster.fake, [pod], name === 'foo-bar-com' ? { portName: 'http' } : {});
    }
  });
  afterAll(async () => {
    await f.cluster?.close();
    await Promise.all(f.pods.map((p) => p.close()));
  });
  return f;
}

async function apply(f: Feature, obj: ReturnType<typeof ingress>, probe: { host: string | undefined; path: string; service: string }): Promise<void> {
  f.cluster.fake.create('ingresses', obj);
  await eventually(async () => (await servedBy(f.cluster.url(), probe.host, probe.path)) === probe.service, `${obj.metadata.name} served`);
}

describe('conformance: path_rules.feature', () => {
  const f = feature(['foo-exact', 'foo-prefix', 'aaa-slash-bbb-prefix', 'aaa-prefix', 'aaa-slash-bbb-slash-prefix', 'foo-slash-exact']);
  beforeAll(async () => {
    const spec = {
      rules: [
        rule('exact-path-rules', [['/foo', 'Exact', 'foo-exact']]),
        rule('prefix-path-rules', [
          ['/foo', 'Prefix', 'foo-prefix'],
          ['/aaa/bbb', 'Prefix', 'aaa-slash-bbb-prefix'],
          ['/aaa', 'Prefix', 'aaa-prefix'],
        ]),
        rule('mixed-path-rules', [
          ['/foo', 'Prefix', 'foo-prefix'],
          ['/foo', 'Exact', 'foo-exact'],
        ]),
        rule('trailing-slash-path-rules', [
          ['/aaa/bbb/', 'Prefix', 'aaa-slash-bbb-slash-prefix'],
          ['/foo/', 'Exact', 'foo-slash-exact'],
        ]),
      ],
    };
    await apply(f, ingress('path-rules', spec, { ingressClassName: CLASS }), { host: 'exact-path-rules', path: '/foo', service: 'foo-exact' });
  });

  const scenarios: [number, string, string, string | number][] = [
    [1, 'exact-path-rules', '/foo', 'foo-exact'],
    [2, 'exact-path-rules', '/foo/', 404],
    [3, 'exact-path-rules', '/FOO', 404],
    [4, 'exact-path-rules', '/bar', 404],
    [5, 'prefix-path-rules', '/foo', 'foo-prefix'],
    [6, 'prefix-path-rules', '/foo/', 'foo-prefix'],
    [7, 'prefix-path-rules', '/FOO', 404],
    [8, 'prefix-path-rules', '/aaa/bbb', 'aaa-slash-bbb-prefix'],
    [9, 'prefix-path-rules', '/aaa/bbb/ccc', 'aaa-slash-bbb-prefix'],
    [10, 'prefix-path-rules', '/aaa/ccc', 'aaa-prefix'],
    [11, 'prefix-path-rules', '/aaaccc', 404],
    [12, 'prefix-path-rules', '/foo/', 'foo-prefix'],
    [13, 'mixed-path-rules', '/foo', 'foo-exact'],
    [14, 'trailing-slash-path-rules', '/aaa/bbb', 'aaa-slash-bbb-slash-prefix'],
    [15, 'trailing-slash-path-rules', '/aaa/bbb/', 'aaa-slash-bbb-slash-prefix'],
    [16, 'trailing-slash-path-rules', '/foo', 404],
  ];
  it.each(scenarios)('scenario %i: Host %s, path %s → %s', async (_n, host, path, expected) => {
    expect(await servedBy(f.cluster.url(), host, path)).toBe(expected);
  });

  it('forwards the path unchanged and keeps the Host header', async () => {
    const a = await send(f.cluster.url(), 'prefix-path-rules', '/aaa/bbb/ccc?x=1');
    expect(a.echo).toMatchObject({ service: 'aaa-slash-bbb-prefix', path: '/aaa/bbb/ccc?x=1', host: 'prefix-path-rules' });
  });
});

describe('kubernetes.io Ingress path examples', () => {
  const services = ['prefix-root', 'exact-foo', 'exact-foo-slash', 'prefix-foo', 'prefix-foo-slash', 'prefix-aaa-bb', 'prefix-aaa-bbb', 'prefix-aaa-bbb-slash', 'prefix-aaa', 'default-backend'];
  const f = feature(services);
  type P = [string, 'Exact' | 'Prefix', string];
  const rows: { paths: P[]; requests: string[]; expected: string | number; note: string }[] = [
    { paths: [['/', 'Prefix', 'prefix-root']], requests: ['/', '/anything', '/a/b/c'], expected: 'prefix-root', note: 'Prefix / matches all paths' },
    { paths: [['/foo', 'Exact', 'exact-foo']], requests: ['/foo'], expected: 'exact-foo', note: 'Exact /foo, /foo' },
    { paths: [['/foo', 'Exact', 'exact-foo']], requests: ['/bar'], expected: 404, note: 'Exact /foo, /bar' },
    { paths: [['/foo', 'Exact', 'exact-foo']], requests: ['/foo/'], expected: 404, note: 'Exact /foo, /foo/' },
    { paths: [['/foo/', 'Exact', 'exact-foo-slash']], requests: ['/foo'], expected: 404, note: 'Exact /foo/, /foo' },
    { paths: [['/foo', 'Prefix', 'prefix-foo']], requests: ['/foo', '/foo/'], expected: 'prefix-foo', note: 'Prefix /foo, /foo and /foo/' },
    { paths: [['/foo/', 'Prefix', 'prefix-foo-slash']], requests: ['/foo', '/foo/'], expected: 'prefix-foo-slash', note: 'Prefix /foo/, /foo and /foo/' },
    { paths: [['/aaa/bb', 'Prefix', 'prefix-aaa-bb']], requests: ['/aaa/bbb'], expected: 404, note: 'Prefix /aaa/bb, /aaa/bbb' },
    { paths: [['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']], requests: ['/aaa/bbb'], expected: 'prefix-aaa-bbb', note: 'Prefix /aaa/bbb, /aaa/bbb' },
    { paths: [['/aaa/bbb/', 'Prefix', 'prefix-aaa-bbb-slash']], requests: ['/aaa/bbb'], expected: 'prefix-aaa-bbb-slash', note: 'ignores the trailing slash' },
    { paths: [['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']], requests: ['/aaa/bbb/'], expected: 'prefix-aaa-bbb', note: 'matches the trailing slash' },
    { paths: [['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']], requests: ['/aaa/bbb/ccc'], expected: 'prefix-aaa-bbb', note: 'matches a subpath' },
    { paths: [['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']], requests: ['/aaa/bbbxyz'], expected: 404, note: 'no string prefix match' },
    { paths: [['/', 'Prefix', 'prefix-root'], ['/aaa', 'Prefix', 'prefix-aaa']], requests: ['/aaa/ccc'], expected: 'prefix-aaa', note: 'matches the /aaa prefix' },
    {
      paths: [['/', 'Prefix', 'prefix-root'], ['/aaa', 'Prefix', 'prefix-aaa'], ['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']],
      requests: ['/aaa/bbb'],
      expected: 'prefix-aaa-bbb',
      note: 'matches the /aaa/bbb prefix',
    },
    {
      paths: [['/', 'Prefix', 'prefix-root'], ['/aaa', 'Prefix', 'prefix-aaa'], ['/aaa/bbb', 'Prefix', 'prefix-aaa-bbb']],
      requests: ['/ccc'],
      expected: 'prefix-root',
      note: 'matches the / prefix',
    },
    // The table's "uses default backend" row: this row's Ingress has one (see below).
    { paths: [['/aaa', 'Prefix', 'prefix-aaa']], requests: ['/ccc'], expected: 'default-backend', note: 'Prefix /aaa, /ccc: default backend' },
    { paths: [['/foo', 'Prefix', 'prefix-foo'], ['/foo', 'Exact', 'exact-foo']], requests: ['/foo'], expected: 'exact-foo', note: 'Mixed: prefers Exact' },
    // Extra rows: element-wise prefixes, the root, and the query left out of matching.
    { paths: [['/foo', 'Prefix', 'prefix-foo']], requests: ['/foobar'], expected: 404, note: 'Prefix /foo, /foobar' },
    { paths: [['/foo', 'Prefix', 'prefix-foo']], requests: ['/foo/bar'], expected: 'prefix-foo', note: 'Prefix /foo, /foo/bar' },
    { paths: [['/foo', 'Exact', 'exact-foo']], requests: ['/foo?x=1'], expected: 'exact-foo', note: 'Exact /foo, /foo?x=1' },
  ];
  const DEFAULT_ROW = 16;

  beforeAll(async () => {
    rows.forEach((row, i) => {
      const spec: Record<string, unknown> = { rules: [rule(`example-${i}`, row.paths)] };
      if (i === DEFAULT_ROW) spec['defaultBackend'] = backend('default-backend');
      f.cluster.fake.create('ingresses', ingress(`example-${i}`, spec, { ingressClassName: CLASS }));
    });
    await eventually(async () => (await servedBy(f.cluster.url(), `example-${rows.length - 1}`, '/foo')) === 'exact-foo', 'examples served');
  });

  it.each(rows.map((r, i) => [i, r.note, r] as const))('row %i: %s', async (i, _note, row) => {
    for (const path of row.requests) expect([path, await servedBy(f.cluster.url(), `example-${i}`, path)]).toEqual([path, row.expected]);
  });

  it('keeps the default backend of one Ingress away from the hosts of the others', async () => {
    expect(await servedBy(f.cluster.url(), 'example-2', '/bar')).toBe(404);
    // A host no rule names does get it: the default backend serves the rest, as in ingress-nginx.
    expect(await servedBy(f.cluster.url(), 'unnamed-host', '/x')).toBe('default-backend');
  });
});

describe('conformance: host_rules.feature', () => {
  const f = feature(['wildcard-foo-com', 'foo-bar-com']);
  beforeAll(async () => {
    const spec = {
      tls: [{ hosts: ['foo.bar.com'], secretName: 'conformance-tls' }],
      rules: [
        rule('*.foo.com', [['/', 'Prefix', 'wildcard-foo-com']]),
        { host: 'foo.bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('foo-bar-com', 'http') }] } },
      ],
    };
    await apply(f, ingress('host-rules', spec, { ingressClassName: CLASS }), { host: 'foo.bar.com', path: '/', service: 'foo-bar-com' });
  });

  it('serves the exact host, resolving the Service port by name, and keeps the Host header', async () => {
    const a = await send(f.cluster.url(), 'foo.bar.com', '/');
    expect(a.status).toBe(200);
    expect(a.echo).toMatchObject({ service: 'foo-bar-com', host: 'foo.bar.com' });
  });

  it('answers 404 for a host that only shares a suffix', async () => {
    expect(await servedBy(f.cluster.url(), 'subdomain.bar.com', '/')).toBe(404);
  });

  it('serves one label under a wildcard and keeps the Host header', async () => {
    const a = await send(f.cluster.url(), 'bar.foo.com', '/');
    expect(a.echo).toMatchObject({ service: 'wildcard-foo-com', host: 'bar.foo.com' });
  });

  it('does not let a wildcard cover two labels, or none', async () => {
    expect(await servedBy(f.cluster.url(), 'baz.bar.foo.com', '/')).toBe(404);
    expect(await servedBy(f.cluster.url(), 'foo.com', '/')).toBe(404);
  });

  it('ignores the port and the case of the Host header', async () => {
    expect(await servedBy(f.cluster.url(), 'foo.bar.com:80', '/')).toBe('foo-bar-com');
    expect(await servedBy(f.cluster.url(), 'Foo.Bar.COM', '/')).toBe('foo-bar-com');
    expect(await servedBy(f.cluster.url(), 'BAR.foo.com', '/')).toBe('wildcard-foo-com');
  });
});

describe('conformance: default_backend.feature', () => {
  const f = feature(['echo-service']);
  beforeAll(async () => {
    await apply(f, ingress('default-backend', { defaultBackend: backend('echo-service') }, { ingressClassName: CLASS }), {
      host: 'my-host',
      path: '/',
      service: 'echo-service',
    });
  });

  const examples: [string, string | undefined, string][] = [
    ['GET', 'my-host', ''],
    ['GET', 'my-host', 'sub-path'],
    ['POST', 'some-host', ''],
    ['PUT', undefined, 'resource'],
    ['DELETE', 'some-host', 'resource'],
    ['PATCH', 'my-host', 'resource'],
  ];
  it.each(examples)('%s with Host %s to /%s goes to the default backend', async (method, host, path) => {
    const a = await send(f.cluster.url(), host, `/${path}`, method);
    expect(a.status).toBe(200);
    expect(a.echo).toMatchObject({ service: 'echo-service', method, path: `/${path}` });
    expect(a.echo?.host).toBe(host ?? new URL(f.cluster.url()).host);
    expect(a.echo?.headers['user-agent']).toBe('Go-http-client/1.1');
    for (const header of ['content-length', 'content-type', 'date', 'server']) expect(a.headers[header], header).toBeTruthy();
    expect(a.headers['transfer-encoding']).toBeUndefined();
  });
});

describe('conformance: ingress_class.feature', () => {
  const f = feature(['ingress-class-prefix', 'served-prefix'], { statusAddress: '192.0.2.10' });
  beforeAll(async () => {
    f.cluster.fake.create(
      'ingresses',
      ingress('test-ingress-class', { rules: [rule('ingress-class', [['/', 'Prefix', 'ingress-class-prefix']])] }, { ingressClassName: 'some-invalid-class-name' }),
    );
    // One of ours, to show that status is written at all and that the other was really seen.
    await apply(f, ingress('served', { rules: [rule('served', [['/', 'Prefix', 'served-prefix']])] }, { ingressClassName: CLASS }), {
      host: 'served',
      path: '/',
      service: 'served-prefix',
    });
  });

  it('publishes the status address on its own Ingresses', async () => {
    await eventually(() => JSON.stringify(f.cluster.fake.get('ingresses', NS, 'served')?.['status']) === JSON.stringify({ loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } }), 'status written');
  });

  it('neither serves nor writes status for an Ingress of another class', async () => {
    expect(await servedBy(f.cluster.url(), 'ingress-class', '/')).toBe(404);
    await new Promise((r) => setTimeout(r, 200));
    expect(f.cluster.fake.get('ingresses', NS, 'test-ingress-class')?.['status']).toBeUndefined();
    expect(f.cluster.fake.statusPatches.map((p) => p.name)).not.toContain('test-ingress-class');
  });
});

describe('conformance: load_balancing.feature', () => {
  let c: Cluster;
  let pods: Pod[] = [];
  beforeAll(async () => {
    c = await startCluster({ listeners: [{ name: 'default', classes: [CLASS] }] });
    pods = await startPods('echo-service', 10, 2);
    expose(c.fake, pods);
    c.fake.create('ingresses', ingress('load-balancing', { defaultBackend: backend('echo-service') }, { ingressClassName: CLASS }));
    await eventually(async () => (await servedBy(c.url(), 'load-balancing', '/')) === 'echo-service', 'served');
    // The set converges once all ten endpoints are in the table.
    await eventually(async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) seen.add((await send(c.url(), 'load-balancing', '/')).echo?.pod ?? '');
      return seen.size === 10;
    }, 'ten endpoints');
  });
  afterAll(async () => {
    await c?.close();
    await Promise.all(pods.map((p) => p.close()));
  });

  it('reaches all 10 pods with 100 sequential requests', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const a = await send(c.url(), 'load-balancing', '/');
      expect(a.status).toBe(200);
      seen.add(a.echo!.pod);
    }
    expect(seen.size).toBe(10);
  });

  it('spreads 500 requests roughly evenly over the 10 endpoints', async () => {
    for (const p of pods) p.hits = 0;
    for (let i = 0; i < 500; i++) expect((await send(c.url(), 'load-balancing', '/')).status).toBe(200);
    const hits = pods.map((p) => p.hits);
    expect(hits.reduce((a, b) => a + b, 0)).toBe(500);
    for (const h of hits) {
      expect(h).toBeGreaterThanOrEqual(35);
      expect(h).toBeLessThanOrEqual(65);
    }
  });
});
