/**
 * ClusterTranslator: translate() over a stream of snapshots. Whatever it takes from the previous
 * snapshot, each result must be exactly what a fresh translate() gives; and it must take what it
 * can (an endpoint change translates the Ingresses of that Service only, unchanged Ingresses keep
 * their route objects).
 */
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../../../src/kubernetes/objects.js';
import { ClusterTranslator, translate } from '../../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot, TranslateOptions } from '../../../src/kubernetes/translate/index.js';
import { loadSnapshot } from './load-fixture.js';

const options: TranslateOptions = { ingressClasses: ['skiff'] };

function expectSame(translator: ClusterTranslator, snapshot: ClusterSnapshot, opts: TranslateOptions = options): void {
  expect(translator.translate(snapshot)).toEqual(translate(snapshot, opts));
}

function slice(namespace: string, service: string, name: string, addresses: readonly string[], ready = true): EndpointSlice {
  return {
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service } },
    ports: [{ name: 'http', port: 8080 }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready } })),
  };
}

function service(namespace: string, name: string): Service {
  return { metadata: { namespace, name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

function ingress(namespace: string, name: string, host: string, svc: string, extra: Partial<Ingress['metadata']> = {}): Ingress {
  const backend = { service: { name: svc, port: { number: 80 } } };
  return {
    metadata: { namespace, name, resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z', ...extra },
    spec: {
      ingressClassName: 'skiff',
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }, { path: '/api', pathType: 'Prefix', backend }] } }],
    },
  };
}

/** Five Ingresses: two share Service `shared`, the others have one each. */
function small(): ClusterSnapshot {
  return {
    ingresses: [
      ingress('ns', 'a', 'a.example.org', 'shared'),
      ingress('ns', 'b', 'b.example.org', 'shared'),
      ingress('ns', 'c', 'c.example.org', 'c'),
      ingress('ns', 'd', 'd.example.org', 'd'),
      ingress('ns', 'e', 'e.example.org', 'e'),
    ],
    services: ['c', 'd', 'e', 'shared'].map((s) => service('ns', s)),
    endpointSlices: ['c', 'd', 'e', 'shared'].map((s) => slice('ns', s, `${s}-1`, ['10.0.0.1', '10.0.0.2'])),
    ingressClasses: [],
  };
}

function routeOf(result: ReturnType<typeof translate>, id: string): object {
  const r = result.routes.find((x) => x.id === id);
  if (r === undefined) throw new Error(`no route ${id}`);
  return r;
}

describe('ClusterTranslator', () => {
  it('gives new backends, without translating them again, to the Ingresses of a Service whose endpoints changed', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    expect(t.stats).toMatchObject({ translated: 5, reused: 0 });

    const endpointSlices = first.endpointSlices.slice();
    endpointSlices[3] = slice('ns', 'shared', 'shared-1', ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const next = { ...first, endpointSlices };
    const after = t.translate(next);
    expect(t.stats).toEqual({ translated: 0, rebound: 2, reused: 3, merged: false });
    expect(after).toEqual(translate(next, options));
    // the other Ingresses' routes are the very same objects, the changed ones are new
    expect(routeOf(after, 'kube_ns__c__c_example_org_____c')).toBe(routeOf(before, 'kube_ns__c__c_example_org_____c'));
    const id = 'kube_ns__a__a_example_org_____shared';
    expect(routeOf(after, id)).not.toBe(routeOf(before, id));
    expect(routeOf(after, id)).toMatchObject({ backend: { type: 'lb', endpoints: expect.arrayContaining(['http://10.0.0.3:8080']) } });
    // with the same predicate and filter lists, and one backend object for the routes of the Service
    const [was, now] = [routeOf(before, id), routeOf(after, id)] as { predicates: unknown; filters: unknown; backend: unknown }[];
    expect(now!.predicates).toBe(was!.predicates);
    expect(now!.filters).toBe(was!.filters);
    expect((routeOf(after, 'kube_ns__b__b_example_org___api__shared') as { backend: unknown }).backend).toBe(now!.backend);
  });

  it('shares predicates and overlap keys between Ingresses and with the translation before a Service change', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    const predicatesOf = (r: ReturnType<typeof translate>, id: string): readonly unknown[] => (routeOf(r, id) as { predicates: readonly unknown[] }).predicates;
    // one PathSubtree("/api") for every Ingress with that path
    expect(predicatesOf(before, 'kube_ns__a__a_example_org___api__shared')[1]).toBe(predicatesOf(before, 'kube_ns__c__c_example_org___api__c')[1]);

    // every slice changed: every Ingress gets new backends, with the same predicates
    const endpointSlices = first.endpointSlices.map((s) => slice('ns', s.metadata.labels!['kubernetes.io/service-name']!, s.metadata.name, ['10.0.1.1']));
    const next = { ...first, endpointSlices };
    const after = t.translate(next);
    expect(t.stats).toMatchObject({ translated: 0, rebound: 5 });
    expect(after).toEqual(translate(next, options));
    const id = 'kube_ns__c__c_example_org___api__c';
    expect(routeOf(after, id)).not.toBe(routeOf(before, id));
    expect(predicatesOf(after, id)).toBe(predicatesOf(before, id));
  });

  it('does not translate an Ingress again for a change outside what translation reads (a status write)', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    const ingresses = first.ingresses.map((i) => ({ ...i, metadata: { ...i.metadata, resourceVersion: '2' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }));
    const after = t.translate({ ...first, ingresses });
    expect(t.stats.translated).toBe(0);
    expect(after.routes).toHaveLength(before.routes.length);
    after.routes.forEach((r, i) => expect(r).toBe(before.routes[i]));
  });

  it('translates nothing again after a relist that brings equal objects', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    const after = t.translate(structuredClone(first));
    expect(t.stats).toEqual({ translated: 0, rebound: 0, reused: 5, merged: false });
    after.routes.forEach((r, i) => expect(r).toBe(before.routes[i]));
  });

  it('keeps the route objects of an Ingress translated again to the same routes', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    // a pod that is not ready: the Service changed, its routes did not
    const endpointSlices = first.endpointSlices.slice();
    endpointSlices[0] = { ...slice('ns', 'c', 'c-1', ['10.0.0.1', '10.0.0.2']), endpoints: [...endpointSlices[0]!.endpoints!, { addresses: ['10.0.0.9'], conditions: { ready: false } }] };
    const after = t.translate({ ...first, endpointSlices });
    expect(t.stats).toMatchObject({ translated: 0, rebound: 1 });
    expect(routeOf(after, 'kube_ns__c__c_example_org_____c')).toBe(routeOf(before, 'kube_ns__c__c_example_org_____c'));
  });

  it('translates an Ingress again when a Service change reaches more than its backends', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    t.translate(first);
    // the last endpoint of c goes: its routes answer 502 from a shunt, with other filters
    const endpointSlices = first.endpointSlices.slice();
    endpointSlices[0] = slice('ns', 'c', 'c-1', []);
    const gone = { ...first, endpointSlices };
    expect(t.translate(gone)).toEqual(translate(gone, options));
    expect(t.stats).toMatchObject({ translated: 1, rebound: 0 });
    // and back: translated again; then a new address: rebound
    expect(t.translate(first)).toEqual(translate(first, options));
    expect(t.stats).toMatchObject({ translated: 1, rebound: 0 });
    endpointSlices[0] = slice('ns', 'c', 'c-1', ['10.0.0.7']);
    const moved = { ...first, endpointSlices };
    expect(t.translate(moved)).toEqual(translate(moved, options));
    expect(t.stats).toMatchObject({ translated: 0, rebound: 1 });
    // the Service object itself changes its port: the route set aside, so translated again
    const services = first.services.slice();
    services[0] = { ...services[0]!, spec: { ports: [{ name: 'http', port: 81, targetPort: 8080 }] } };
    const other = { ...moved, services };
    expect(t.translate(other)).toEqual(translate(other, options));
    expect(t.stats).toMatchObject({ translated: 1, rebound: 0 });
  });

  it('sets aside only the Ingresses of a slice of a wrong shape, and translates them again once it is fixed', () => {
    // Manifests can hold shapes the API server refuses; a slice whose endpoints are not a list
    // of objects fails resolution (it used to throw) and each path on it is set aside.
    const t = new ClusterTranslator(options);
    const first = small();
    expectSame(t, first);
    const endpointSlices = first.endpointSlices.slice();
    // only the endpoints change: the rebind path, which resolved outside translateIngress()'s guard
    endpointSlices[0] = { ...first.endpointSlices[0]!, endpoints: [null] } as unknown as EndpointSlice;
    const broken = { ...first, endpointSlices };
    const result = t.translate(broken);
    expect(result).toEqual(translate(broken, options));
    expect(new Set(result.skipped.map((s) => s.object))).toEqual(new Set(['ns/c']));
    for (const s of result.skipped) expect(s.reason).toContain('EndpointSlice c-1: endpoints[0] is not a mapping');
    expect(result.routes.some((r) => r.id.startsWith('kube_ns__d__'))).toBe(true);
    // fixed: the set-aside Ingress is translated again, not kept aside for the Service it read
    expectSame(t, first);
    expect(t.stats.translated).toBe(1);
    // broken before its first translation, then fixed
    const fresh = new ClusterTranslator(options);
    expectSame(fresh, broken);
    expectSame(fresh, first);
  });

  it('merges afresh when an Ingress comes or goes, or when a route id changes', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    t.translate(first);
    const added = { ...first, ingresses: [...first.ingresses, ingress('ns', 'f', 'a.example.org', 'c')] };
    expectSame(t, added);
    expect(t.stats).toMatchObject({ translated: 1, merged: true });
    // a changed host changes the route ids: in place would be wrong
    const moved = { ...added, ingresses: added.ingresses.map((i) => (i.metadata.name === 'c' ? ingress('ns', 'c', 'z.example.org', 'c') : i)) };
    expectSame(t, moved);
    expect(t.stats).toMatchObject({ translated: 1, merged: true });
    expectSame(t, first);
  });

  it('keeps every translation when the IngressClasses come as a new list, equal or not', () => {
    const t = new ClusterTranslator(options);
    const first = small();
    const before = t.translate(first);
    // manifests read again: an equal list, another array
    expect(t.translate({ ...first, ingressClasses: [] }).routes).toEqual(before.routes);
    expect(t.stats).toEqual({ translated: 0, rebound: 0, reused: 5, merged: false });
    // a class change asks every Ingress again whether it is served, but translates none
    const other: IngressClass = { metadata: { name: 'other' }, spec: { controller: 'example.org/other' } };
    expectSame(t, { ...first, ingressClasses: [other] });
    expect(t.stats.translated).toBe(0);
  });

  it('settles an overlap the same way after the winner loses its endpoints', () => {
    const t = new ClusterTranslator(options);
    const base = small();
    const older = ingress('ns', 'old', 'a.example.org', 'c', { creationTimestamp: '2023-01-01T00:00:00Z' });
    const first = { ...base, ingresses: [older, ...base.ingresses] };
    expectSame(t, first);
    const endpointSlices = first.endpointSlices.filter((s) => s.metadata.name !== 'c-1');
    expectSame(t, { ...first, endpointSlices });
    expectSame(t, first);
  });

  it('gives what translate() gives for every fixture, one after another', () => {
    const root = join(import.meta.dirname, 'fixtures');
    const cases: { snapshot: ClusterSnapshot; options: TranslateOptions }[] = [];
    for (const feature of readdirSync(root).sort()) {
      const dir = join(root, feature);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
        const base = join(dir, file.slice(0, -'.yaml'.length));
        const extra = existsSync(`${base}.options.json`) ? (JSON.parse(readFileSync(`${base}.options.json`, 'utf8')) as TranslateOptions) : {};
        cases.push({ snapshot: loadSnapshot(`${base}.yaml`), options: { ingressClasses: ['skiff'], healthcheck: false, ...extra } });
      }
    }
    expect(cases.length).toBeGreaterThan(20);
    const translators = new Map<string, ClusterTranslator>();
    for (const { snapshot, options: opts } of [...cases, ...[...cases].reverse(), ...cases]) {
      const key = JSON.stringify(opts);
      let t = translators.get(key);
      if (t === undefined) translators.set(key, (t = new ClusterTranslator(opts)));
      expectSame(t, snapshot, opts);
      // the same objects again, and copies of them as a relist would bring
      expectSame(t, snapshot, opts);
      expectSame(t, structuredClone(snapshot), opts);
    }
  });

  it('gives what translate() gives along a random series of cluster changes', () => {
    const random = seeded(20240601);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const hosts = ['a.example.org', 'b.example.org', '*.example.org', 'c.other.org', ''];
    const paths = ['/', '/api', '/api/v1', ''];
    const types = ['Prefix', 'Exact', 'ImplementationSpecific'];
    const services = ['s0', 's1', 's2', 's3', 'missing'];
    const times = ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', undefined];
    const annotations = [
      {},
      { 'zalando.org/skipper-filter': 'setRequestHeader("X-A", "b")' },
      { 'zalando.org/skipper-predicate': 'Method("GET")' },
      { 'zalando.org/backend-weights': '{"s0": 30, "s1": 70}' },
      { 'zalando.org/skipper-routes': 'r: Method("OPTIONS") -> <shunt>' },
      { 'zalando.org/skipper-loadbalancer': 'random' },
    ];
    let version = 0;
    const makeIngress = (name: string): Ingress => {
      const rules = Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({
        ...(pick(hosts) === '' ? {} : { host: pick(hosts.slice(0, 4)) }),
        http: {
          paths: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
            path: pick(paths),
            pathType: pick(types),
            backend: { service: { name: pick(services), port: { number: 80 } } },
          })),
        },
      }));
      const creationTimestamp = pick(times);
      return {
        metadata: { namespace: pick(['ns', 'other']), name, resourceVersion: String(++version), annotations: pick(annotations), ...(creationTimestamp && { creationTimestamp }) },
        spec: {
          ingressClassName: random() < 0.9 ? 'skiff' : 'other',
          rules,
          ...(random() < 0.2 && { defaultBackend: { service: { name: pick(services), port: { number: 80 } } } }),
        },
      };
    };
    const makeSlice = (ns: string, svc: string, n: number): EndpointSlice =>
      slice(ns, svc, `${svc}-${n}`, Array.from({ length: Math.floor(random() * 4) }, (_, i) => `10.${n}.0.${i + 1}`), random() < 0.9);
    const sortByKey = <T extends { metadata: { namespace?: string; name: string } }>(xs: T[]): T[] =>
      xs.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));

    let snap: ClusterSnapshot = {
      ingresses: sortByKey(Array.from({ length: 10 }, (_, i) => makeIngress(`ing-${i}`))),
      services: sortByKey(['ns', 'other'].flatMap((ns) => ['s0', 's1', 's2', 's3'].map((s) => service(ns, s)))),
      endpointSlices: sortByKey(['ns', 'other'].flatMap((ns) => ['s0', 's1', 's2', 's3'].map((s, i) => makeSlice(ns, s, i)))),
      ingressClasses: [],
    };
    const defaultClass: IngressClass = {
      metadata: { name: 'other', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'zalando.org/skiff' },
    };
    const changes: ((s: ClusterSnapshot) => ClusterSnapshot)[] = [
      // an endpoint change, in place (the common watch event)
      (s) => {
        if (s.endpointSlices.length === 0) return s;
        const endpointSlices = s.endpointSlices.slice();
        const i = Math.floor(random() * endpointSlices.length);
        const old = endpointSlices[i]!;
        endpointSlices[i] = makeSlice(old.metadata.namespace!, old.metadata.labels!['kubernetes.io/service-name']!, i + Math.floor(random() * 3));
        return { ...s, endpointSlices };
      },
      (s) => ({ ...s, endpointSlices: s.endpointSlices.filter(() => random() < 0.9) }),
      (s) => ({ ...s, endpointSlices: [...s.endpointSlices, makeSlice(pick(['ns', 'other']), pick(services), 7)] }),
      (s) => {
        if (s.services.length === 0) return s;
        const services = s.services.slice();
        const i = Math.floor(random() * services.length);
        services[i] = { ...services[i]!, spec: { ports: [{ name: 'http', port: pick([80, 81]), targetPort: 8080 }] } };
        return { ...s, services };
      },
      (s) => ({ ...s, services: sortByKey([...s.services, service(pick(['ns', 'other']), pick(services))]) }),
      (s) => ({ ...s, services: s.services.filter(() => random() < 0.9) }),
      // an Ingress edited in place
      (s) => {
        if (s.ingresses.length === 0) return s;
        const ingresses = s.ingresses.slice();
        const i = Math.floor(random() * ingresses.length);
        ingresses[i] = { ...makeIngress(ingresses[i]!.metadata.name), metadata: { ...makeIngress(ingresses[i]!.metadata.name).metadata, namespace: ingresses[i]!.metadata.namespace } };
        return { ...s, ingresses };
      },
      // a status write: a new object, the same spec
      (s) => ({ ...s, ingresses: s.ingresses.map((i) => (random() < 0.3 ? { ...i, metadata: { ...i.metadata, resourceVersion: String(++version) } } : i)) }),
      (s) => ({ ...s, ingresses: sortByKey([...s.ingresses, makeIngress(`ing-${++version}`)]) }),
      (s) => ({ ...s, ingresses: s.ingresses.filter(() => random() < 0.85) }),
      (s) => ({ ...s, ingresses: s.ingresses.map((i) => (random() < 0.2 ? { ...i, metadata: { ...i.metadata, creationTimestamp: pick(times) } } : i)) }),
      (s) => ({ ...s, ingressClasses: s.ingressClasses.length === 0 ? [defaultClass] : [] }),
      // a relist: every object new, the same contents
      (s) => structuredClone(s),
      (s) => ({ ...s, ingresses: [...s.ingresses].reverse() }),
      (s) => s,
    ];
    const t = new ClusterTranslator(options);
    let inPlace = 0;
    let merged = 0;
    expectSame(t, snap);
    for (let i = 0; i < 400; i++) {
      // mostly endpoint changes, as in a cluster
      snap = random() < 0.5 ? changes[0]!(snap) : pick(changes)(snap);
      expectSame(t, snap);
      if (t.stats.merged) merged++;
      else inPlace++;
    }
    // both ways of producing the result were exercised
    expect(inPlace).toBeGreaterThan(50);
    expect(merged).toBeGreaterThan(50);
  });
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
