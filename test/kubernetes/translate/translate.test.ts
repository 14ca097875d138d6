import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Ingress, Service } from '../../../src/kubernetes/objects.js';
import { printRoutes } from '../../../src/eskip/printer.js';
import { HEALTHCHECK_PATH, translate } from '../../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot } from '../../../src/kubernetes/translate/index.js';

/** n Ingresses in n/100 namespaces, each with one host and three Prefix paths to its own Service. */
function cluster(n: number): ClusterSnapshot {
  const ingresses: Ingress[] = [];
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const namespace = `team-${Math.floor(i / 100)}`;
    const name = `app-${i}`;
    const backend = { service: { name, port: { number: 80 } } };
    ingresses.push({
      metadata: {
        namespace,
        name,
        creationTimestamp: new Date(Date.UTC(2024, 0, 1) + (i % 977) * 60_000).toISOString(),
        annotations: i % 10 === 0 ? { 'zalando.org/skipper-filter': 'setRequestHeader("X-App", "a") -> setResponseHeader("X-B", "c")' } : {},
      },
      spec: {
        ingressClassName: 'skiff',
        rules: [
          {
            host: `${name}.${namespace}.example.org`,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend },
                { path: '/api', pathType: 'Prefix', backend },
                { path: '/health', pathType: 'Exact', backend },
              ],
            },
          },
        ],
      },
    });
    services.push({ metadata: { namespace, name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    endpointSlices.push({
      metadata: { namespace, name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: [`10.${i >> 8 & 255}.${i & 255}.1`] }, { addresses: [`10.${i >> 8 & 255}.${i & 255}.2`] }],
    });
  }
  return { ingresses, services, endpointSlices, ingressClasses: [] };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('translate', () => {
  it('gives the same output whatever the order of the input objects', () => {
    const snapshot = cluster(300);
    // two Ingresses that overlap, so that precedence matters
    const a = snapshot.ingresses[1]!;
    const twin: Ingress = { ...a, metadata: { ...a.metadata, name: 'twin', creationTimestamp: '2030-01-01T00:00:00Z' } };
    const base = { ...snapshot, ingresses: [...snapshot.ingresses, twin] };
    const expected = translate(base, {});
    expect(expected.skipped.map((s) => s.object)).toEqual(['team-0/twin', 'team-0/twin', 'team-0/twin']);
    for (const seed of [1, 2, 3]) {
      const other = translate(
        {
          ingresses: shuffled(base.ingresses, seed),
          services: shuffled(base.services, seed + 10),
          endpointSlices: shuffled(base.endpointSlices, seed + 20),
          ingressClasses: [],
        },
        {},
      );
      expect(printRoutes(other.routes)).toBe(printRoutes(expected.routes));
      expect(other.skipped).toEqual(expected.skipped);
      expect(other.served).toEqual(expected.served);
    }
  });

  it('emits the health-check routes (up, and down while draining) by default, and never twice', () => {
    const result = translate({ ingresses: [], services: [], endpointSlices: [], ingressClasses: [] }, {});
    expect(result.routes.map((r) => r.id)).toEqual(['kube__healthz_down', 'kube__healthz_up']);
    for (const r of result.routes) expect(r.predicates[0]).toEqual({ name: 'Path', args: [HEALTHCHECK_PATH] });
    expect(result.routes[0]!.predicates.at(-1)).toEqual({ name: 'Shutdown', args: [] });
  });

  it('leaves out the per-host catch-alls when asked', () => {
    const snapshot = cluster(1);
    const ing = snapshot.ingresses[0]!;
    const exactOnly: Ingress = { ...ing, spec: { ...ing.spec, rules: [{ host: 'a.example.org', http: { paths: [{ path: '/x', pathType: 'Exact', backend: { service: { name: 'app-0', port: { number: 80 } } } }] } }] } };
    const withCatchAll = translate({ ...snapshot, ingresses: [exactOnly] }, { healthcheck: false });
    const without = translate({ ...snapshot, ingresses: [exactOnly] }, { healthcheck: false, catchAllRoutes: false });
    expect(withCatchAll.routes.map((r) => r.id)).toEqual(['kube___catchall__a_example_org____', 'kube_team_0__app_0__a_example_org___x__app_0']);
    expect(without.routes.map((r) => r.id)).toEqual(['kube_team_0__app_0__a_example_org___x__app_0']);
  });

  it('translates 10,000 Ingresses (30,000 paths) in well under a second', () => {
    const snapshot = cluster(10_000);
    translate(cluster(200), {}); // warm up the code paths
    const start = performance.now();
    const result = translate(snapshot, {});
    const ms = performance.now() - start;
    console.log(`translate: 10,000 Ingresses / 30,000 paths → ${result.routes.length} routes in ${ms.toFixed(0)} ms`);
    expect(result.routes).toHaveLength(30_002);
    expect(result.skipped).toEqual([]);
    expect(ms).toBeLessThan(3000);
  });
});
