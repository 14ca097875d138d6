/**
 * Fuzzing the Ingress translation with arbitrary-ish clusters: odd names and hosts, every path
 * type and then some, annotations holding valid eskip, broken eskip and garbage, Services and
 * EndpointSlices that match or do not. Translation never throws; every route it emits prints to
 * eskip that parses back to the same definition, and the table build either compiles it or sets
 * it aside with a code and a reason; every skipped object has both too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Ingress, Service } from '../../src/kubernetes/objects.js';
import { translate, type ClusterSnapshot } from '../../src/kubernetes/translate/index.js';
import { parseRoutes, printRoutes } from '../../src/eskip/index.js';
import { buildTable } from '../../src/routing/build.js';
import { Registry } from '../../src/registry.js';
import { builtinPredicates } from '../../src/predicates/index.js';
import { builtinFilters } from '../../filters/index.js';
import { compileBackend } from '../../src/backend/compile.js';
import type { FilterSpec, PredicateSpec } from '../../src/spec.js';

const deps = {
  predicates: new Registry<PredicateSpec>(builtinPredicates()),
  filters: new Registry<FilterSpec>(builtinFilters()),
  compileBackend,
};

const name = fc.oneof(fc.constantFrom('app', 'api', 'web', 'a-b', 'x'), fc.string({ maxLength: 12 }));
const namespace = fc.constantFrom('default', 'team-a', 'team-b', '');
const host = fc.oneof(
  fc.constantFrom('a.example.org', 'B.Example.org', '*.example.org', 'example.org.', '*', '', 'xn--bcher-kva.example', 'a..b', '-a.example'),
  fc.domain(),
  fc.string({ maxLength: 20 }),
);
const path = fc.oneof(
  fc.constantFrom('/', '/api', '/api/', '/a/b', '/v1/(users|groups)', '/[', '/a\\', '/a b', '/%2e%2e', '', '/a//b', '/*', '/:id'),
  fc.string({ maxLength: 20 }).map((s) => `/${s}`),
  fc.string({ maxLength: 12 }),
);
const pathType = fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific', undefined, 'exact', 'Regex');
const port = fc.oneof(
  fc.record({ number: fc.oneof(fc.constantFrom(80, 8080, 443), fc.integer({ min: -5, max: 70000 })) }),
  fc.record({ name: fc.constantFrom('http', 'https', 'grpc', '') }),
  fc.constant(undefined),
);
const backend = fc.oneof(
  fc.record({ service: fc.record({ name, port }, { requiredKeys: ['name'] }) }),
  fc.constant({ resource: { kind: 'StorageBucket', name: 'b' } }),
  fc.constant({}),
);
const eskipish = fc.oneof(
  fc.constantFrom(
    'setRequestHeader("X-A", "b")',
    'setPath("/x") -> status(201)',
    'ipAllowList("10.0.0.0/8")',
    'Method("GET")',
    'Header("X", "y") && Method("POST")',
    'r: Path("/extra") -> inlineContent("hi") -> <shunt>;',
    'consecutiveBreaker(3) -> maxBodySize("1MB")',
    'noSuchFilter()',
    '->',
    '"unterminated',
    'setRequestHeader("X-A", "a\\r\\nX-Injected: 1")',
    'maxBodySize("lots")',
  ),
  fc.string({ maxLength: 40 }),
);
const annotations = fc.dictionary(
  fc.constantFrom(
    'zalando.org/skipper-filter',
    'zalando.org/skipper-predicate',
    'zalando.org/skipper-routes',
    'zalando.org/backend-weights',
    'zalando.org/skipper-loadbalancer',
    'zalando.org/skipper-backend-protocol',
    'zalando.org/skipper-ingress-path-mode',
    'nginx.ingress.kubernetes.io/whitelist-source-range',
    'nginx.ingress.kubernetes.io/denylist-source-range',
    'kubernetes.io/ingress.class',
  ),
  fc.oneof(eskipish, fc.constantFrom('{"app": 80, "other": 20}', '{"app": 0}', 'roundRobin', 'consistentHash', 'bogus', 'https', 'path-prefix', '10.0.0.0/8, 192.168.0.0/16', 'skiff', '{')),
  { maxKeys: 4 },
);

const ingress: fc.Arbitrary<Ingress> = fc.record({
  metadata: fc.record({ name, namespace, annotations, creationTimestamp: fc.constantFrom('2024-01-01T00:00:00Z', 'yesterday', undefined) }, { requiredKeys: ['name'] }),
  spec: fc.record(
    {
      ingressClassName: fc.constantFrom('skiff', 'other', undefined),
      defaultBackend: backend,
      rules: fc.array(
        fc.record({ host, http: fc.record({ paths: fc.array(fc.record({ path, pathType, backend }, { requiredKeys: ['backend'] }), { maxLength: 4 }) }) }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  ),
}, { requiredKeys: ['metadata'] }) as fc.Arbitrary<Ingress>;

const service: fc.Arbitrary<Service> = fc.record({
  metadata: fc.record({ name, namespace }),
  spec: fc.record({
    type: fc.constantFrom('ClusterIP', 'ExternalName', undefined),
    externalName: fc.constantFrom('db.example.org', 'bad name', undefined),
    ports: fc.array(fc.record({ name: fc.constantFrom('http', 'https', undefined), port: fc.constantFrom(80, 443, 8080), targetPort: fc.constantFrom(8080, 'web', undefined) }), { maxLength: 3 }),
  }),
}) as fc.Arbitrary<Service>;

const slice: fc.Arbitrary<EndpointSlice> = fc
  .tuple(name, namespace, fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('not-an-ip', '')), { maxLength: 3 }), fc.boolean())
  .map(([svc, ns, addresses, ready]) => ({
    metadata: { name: `${svc}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: addresses.length === 0 ? [] : [{ addresses, conditions: { ready } }],
    ports: [{ name: 'http', port: 8080 }, { port: 9090 }],
  }));

const cluster: fc.Arbitrary<ClusterSnapshot> = fc.record({
  ingresses: fc.array(ingress, { maxLength: 4 }),
  services: fc.array(service, { maxLength: 4 }),
  endpointSlices: fc.array(slice, { maxLength: 4 }),
  ingressClasses: fc.constant([]),
});

describe('Ingress translation on arbitrary clusters', () => {
  it('never throws; every route round-trips through eskip and builds or is listed with a reason', () => {
    let emitted = 0;
    fc.assert(
      fc.property(cluster, fc.constantFrom('kubernetes-ingress', 'path-regexp', 'path-prefix') as fc.Arbitrary<'kubernetes-ingress'>, (snapshot, pathMode) => {
        const result = translate(snapshot, { pathMode });
        for (const s of result.skipped) {
          expect(s.code).toMatch(/\S/);
          expect(s.reason).toMatch(/\S/);
        }
        if (result.routes.length === 0) return;
        emitted += result.routes.length;
        // a failing route prints with a comment, which a parse drops: the rest round-trips
        expect(parseRoutes(printRoutes(result.routes))).toEqual(result.routes.map(({ failure: _, ...r }) => r));
        const table = buildTable(result.routes, deps);
        const built = new Set(table.routes.map((r) => r.id));
        const setAside = new Map(table.invalid.map((r) => [r.id, r]));
        for (const r of result.routes) {
          if (built.has(r.id)) continue;
          const why = setAside.get(r.id);
          expect(why, `route ${r.id} neither built nor set aside`).toBeDefined();
          expect(why!.code).toMatch(/\S/);
          expect(why!.reason).toMatch(/\S/);
        }
      }),
      { numRuns: 400 },
    );
    expect(emitted).toBeGreaterThan(100);
  });
});
