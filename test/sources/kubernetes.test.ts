import { describe, expect, it } from 'vitest';
import { IngressRoutes } from '../../src/sources/kubernetes.js';
import type { IngressStatusPublisher } from '../../src/sources/kubernetes.js';
import type { SnapshotListener, SnapshotProvider } from '../../src/kubernetes/source.js';
import type { ClusterSnapshot } from '../../src/kubernetes/translate/index.js';
import type { KubeObject } from '../../src/kubernetes/cache.js';
import type { Ingress } from '../../src/kubernetes/objects.js';
import type { SourceUpdate } from '../../src/sources/source.js';
import type { InvalidRoute } from '../../src/routing/route.js';
import type { EndpointSlice } from '../../src/kubernetes/objects.js';
import type { FilterSpec } from '../../src/spec.js';
import { createSkiff } from '../../src/skiff.js';
import { createLogger } from '../../src/log.js';

/** A provider whose snapshot the test sets by hand. */
class MemoryProvider implements SnapshotProvider {
  readonly name = 'memory';
  ready = false;
  starts = 0;
  stops = 0;
  extraProblems: InvalidRoute[] = [];
  private current: ClusterSnapshot;
  private readonly listeners = new Set<SnapshotListener>();
  private gate: Promise<void> = Promise.resolve();

  constructor(snapshot: ClusterSnapshot) {
    this.current = snapshot;
  }

  holdStart(): () => void {
    let open!: () => void;
    this.gate = new Promise((r) => (open = r));
    return open;
  }

  async start(): Promise<void> {
    this.starts++;
    await this.gate;
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.stops++;
  }

  snapshot(): ClusterSnapshot {
    return this.current;
  }

  onChange(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  problems(): readonly InvalidRoute[] {
    return this.extraProblems;
  }

  set(snapshot: ClusterSnapshot): void {
    this.current = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}

function ing(name: string, cls: string, host: string, service = 'web', namespace = 'team'): Ingress {
  return {
    metadata: { namespace, name, resourceVersion: '1' },
    spec: {
      ingressClassName: cls,
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }] } }],
    },
  };
}

function cluster(ingresses: Ingress[]): ClusterSnapshot {
  return {
    ingresses,
    services: [{ metadata: { namespace: 'team', name: 'web' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } }],
    endpointSlices: [
      { metadata: { namespace: 'team', name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } }, endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 8080 }] },
    ],
    ingressClasses: [],
  };
}

function collect(): { updates: SourceUpdate[]; push: (u: SourceUpdate) => void; ids: () => string[] } {
  const updates: SourceUpdate[] = [];
  return {
    updates,
    push: (u) => updates.push(u),
    ids: () => (updates.at(-1)?.routes ?? []).map((r) => r.id).filter((id) => id.startsWith('kube_team')),
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

class RecordingStatus implements IngressStatusPublisher {
  readonly calls: string[][] = [];
  async update(ingresses: readonly KubeObject[]): Promise<unknown> {
    this.calls.push(ingresses.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort());
    return undefined;
  }
}

describe('IngressRoutes', () => {
  it('gives each listener only the routes of its classes, and follows changes', async () => {
    const provider = new MemoryProvider(cluster([ing('pub', 'external', 'pub.example.org'), ing('priv', 'internal', 'priv.example.org')]));
    const routes = new IngressRoutes(provider);
    const ext = collect();
    const int = collect();
    await routes.sourceFor('external', ['external']).start(ext.push);
    await routes.sourceFor('internal', ['internal']).start(int.push);
    expect(provider.starts).toBe(1);
    expect(ext.ids()).toEqual(['kube_team__pub__pub_example_org_____web']);
    expect(int.ids()).toEqual(['kube_team__priv__priv_example_org_____web']);

    provider.set(cluster([ing('pub', 'external', 'pub.example.org'), ing('priv', 'external', 'priv.example.org')]));
    expect(ext.ids()).toEqual(['kube_team__priv__priv_example_org_____web', 'kube_team__pub__pub_example_org_____web']);
    expect(int.ids()).toEqual([]);
  });

  it('resolves start() only after the provider has its first snapshot', async () => {
    const provider = new MemoryProvider(cluster([ing('a', 'skiff', 'a.example.org')]));
    const open = provider.holdStart();
    const routes = new IngressRoutes(provider);
    const got = collect();
    let done = false;
    const started = routes.sourceFor('default', ['skiff']).start(got.push).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    expect(got.updates).toEqual([]);
    open();
    await started;
    expect(got.ids()).toEqual(['kube_team__a__a_example_org_____web']);
  });

  it('reports skipped objects and provider problems as invalid routes', async () => {
    const provider = new MemoryProvider(cluster([ing('a', 'skiff', 'a.example.org', 'missing')]));
    provider.extraProblems = [{ id: 'bad.yaml', code: 'SKIFF_ERR_PARSE', reason: 'bad.yaml: document 1: nope', source: 'bad.yaml' }];
    const got = collect();
    await new IngressRoutes(provider).sourceFor('default', ['skiff']).start(got.push);
    const invalid = got.updates.at(-1)?.invalid ?? [];
    expect(invalid[0]).toEqual(provider.extraProblems[0]);
    expect(invalid.slice(1)).toEqual([
      { id: 'kube_team__a__a_example_org_____missing', code: 'SKIFF_ERR_INVALID_BACKEND', reason: 'service team/missing not found', source: 'team/a' },
    ]);
  });

  it('keeps the last good routes when translation throws, and says so', async () => {
    const provider = new MemoryProvider(cluster([ing('a', 'skiff', 'a.example.org')]));
    const got = collect();
    await new IngressRoutes(provider).sourceFor('default', ['skiff']).start(got.push);
    const good = got.updates.at(-1)!.routes;
    // An object neither the API nor the manifest reader would hand on: no metadata at all.
    expect(() => provider.set({ ...cluster([]), ingresses: [{ spec: { ingressClassName: 'skiff' } } as Ingress] })).not.toThrow();
    const last = got.updates.at(-1)!;
    expect(last.routes).toBe(good);
    expect(last.invalid).toEqual([{ id: 'memory:default', code: 'SKIFF_ERR_INVALID_INGRESS', reason: expect.stringMatching(/^translation failed/) }]);
    provider.set(cluster([ing('b', 'skiff', 'b.example.org')]));
    expect(got.ids()).toEqual(['kube_team__b__b_example_org_____web']);
    expect(got.updates.at(-1)!.invalid).toEqual([]);
  });

  it('hands on nothing when a change leaves the translation as it was', async () => {
    const provider = new MemoryProvider(cluster([ing('a', 'skiff', 'a.example.org')]));
    const got = collect();
    await new IngressRoutes(provider).sourceFor('default', ['skiff']).start(got.push);
    expect(got.updates).toHaveLength(1);
    // A status write comes back as a new resourceVersion of the same Ingress.
    const a = ing('a', 'skiff', 'a.example.org');
    provider.set(cluster([{ ...a, metadata: { ...a.metadata, resourceVersion: '2' } }]));
    expect(got.updates).toHaveLength(1);
    provider.set(cluster([ing('a', 'skiff', 'a2.example.org')]));
    expect(got.updates).toHaveLength(2);
  });

  it('publishes status for the union of served Ingresses of all listeners, never for other classes', async () => {
    const provider = new MemoryProvider(
      cluster([ing('pub', 'external', 'pub.example.org'), ing('priv', 'internal', 'priv.example.org'), ing('other', 'nginx', 'o.example.org')]),
    );
    const status = new RecordingStatus();
    const routes = new IngressRoutes(provider, { status });
    await routes.sourceFor('external', ['external']).start(() => {});
    await routes.sourceFor('internal', ['internal']).start(() => {});
    await tick();
    expect(status.calls.at(-1)).toEqual(['team/priv', 'team/pub']);
    provider.set(cluster([ing('pub', 'external', 'pub.example.org'), ing('other', 'nginx', 'o.example.org')]));
    await tick();
    expect(status.calls.at(-1)).toEqual(['team/pub']);
    for (const call of status.calls) expect(call).not.toContain('team/other');
  });

  it("gives each Ingress the status addresses of the listeners serving it: their union, in listener order", async () => {
    const provider = new MemoryProvider(
      cluster([ing('pub', 'external', 'pub.example.org'), ing('both', 'shared', 'both.example.org'), ing('priv', 'internal', 'priv.example.org'), ing('other', 'nginx', 'o.example.org')]),
    );
    const calls: Record<string, readonly string[]>[] = [];
    const status: IngressStatusPublisher = {
      update: async (ingresses, addressesOf) => {
        calls.push(Object.fromEntries(ingresses.map((i) => [i.metadata.name, addressesOf!(i)])));
      },
    };
    const routes = new IngressRoutes(provider, { status });
    const external = routes.sourceFor('external', ['external', 'shared'], { statusAddresses: ['ext.example.org', '192.0.2.1'] });
    const internal = routes.sourceFor('internal', ['internal', 'shared'], { statusAddresses: ['int.example.org', '192.0.2.1'] });
    // Started in the other order: the order of the addresses follows the listeners, not their start.
    await internal.start(() => {});
    await external.start(() => {});
    await tick();
    expect(calls.at(-1)).toEqual({
      pub: ['ext.example.org', '192.0.2.1'],
      both: ['ext.example.org', '192.0.2.1', 'int.example.org'],
      priv: ['int.example.org', '192.0.2.1'],
    });
  });

  it('folds changes that arrive during a slow status pass into one more pass over the newest state', async () => {
    const provider = new MemoryProvider(cluster([ing('a', 'skiff', 'a.example.org')]));
    const calls: string[][] = [];
    let release!: () => void;
    const slow: IngressStatusPublisher = {
      update: (ingresses) => {
        calls.push(ingresses.map((i) => i.metadata.name));
        return new Promise<void>((r) => (release = r));
      },
    };
    await new IngressRoutes(provider, { status: slow }).sourceFor('default', ['skiff']).start(() => {});
    expect(calls).toEqual([['a']]);
    provider.set(cluster([ing('a', 'skiff', 'a.example.org'), ing('b', 'skiff', 'b.example.org')]));
    provider.set(cluster([ing('a', 'skiff', 'a.example.org'), ing('b', 'skiff', 'b.example.org'), ing('c', 'skiff', 'c.example.org')]));
    expect(calls).toHaveLength(1);
    release();
    await tick();
    expect(calls).toEqual([['a'], ['a', 'b', 'c']]);
    release();
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('stops the shared provider once every listener source has stopped', async () => {
    const provider = new MemoryProvider(cluster([]));
    const routes = new IngressRoutes(provider);
    const a = routes.sourceFor('a', ['skiff']);
    const b = routes.sourceFor('b', ['skiff']);
    await a.start(() => {});
    await b.start(() => {});
    await a.stop();
    expect(provider.stops).toBe(0);
    await b.stop();
    expect(provider.stops).toBe(1);
    const got = collect();
    provider.set(cluster([ing('late', 'skiff', 'late.example.org')]));
    expect(got.updates).toEqual([]);
  });

  it('rebuilds the served table with the compiled routes of the Ingresses an endpoint change leaves alone', async () => {
    // Two Services, one Ingress each; every route carries a filter that records its closing.
    const closed: string[] = [];
    const probe: FilterSpec = {
      name: 'probe',
      create: (args) => ({ close: () => void closed.push(String(args[0])) }),
    };
    const slice = (svc: string, ips: string[]): EndpointSlice => ({
      metadata: { namespace: 'team', name: `${svc}-1`, labels: { 'kubernetes.io/service-name': svc } },
      endpoints: ips.map((ip) => ({ addresses: [ip] })),
      ports: [{ port: 8080 }],
    });
    const withFilter = (name: string, svc: string): Ingress => {
      const i = ing(name, 'skiff', `${name}.example.org`, svc);
      return { ...i, metadata: { ...i.metadata, annotations: { 'zalando.org/skipper-filter': `probe("${name}")` } } };
    };
    const first: ClusterSnapshot = {
      ingresses: [withFilter('a', 'web'), withFilter('b', 'api')],
      services: ['api', 'web'].map((name) => ({ metadata: { namespace: 'team', name }, spec: { ports: [{ port: 80, targetPort: 8080 }] } })),
      endpointSlices: [slice('api', ['10.0.1.1']), slice('web', ['10.0.0.1'])],
      ingressClasses: [],
    };
    const provider = new MemoryProvider(first);
    const routes = new IngressRoutes(provider);
    let tables = 0;
    const skiff = createSkiff({
      listeners: [{ name: 'default', host: '127.0.0.1', port: 0, sources: [routes.sourceFor('default', ['skiff'])] }],
      support: null,
      filters: [probe],
      log: createLogger('error'),
      onTable: () => void tables++,
    });
    await skiff.start();
    try {
      const route = (id: string) => skiff.table().routes.find((r) => r.id === id)!;
      const a = route('kube_team__a__a_example_org_____web');
      const b = route('kube_team__b__b_example_org_____api');
      provider.set({ ...first, endpointSlices: [slice('api', ['10.0.1.1', '10.0.1.2']), first.endpointSlices[1]!] });
      expect(tables).toBe(2);
      // a's route is the same compiled route; b's is new, with the new backend and b's filter instance
      expect(route('kube_team__a__a_example_org_____web')).toBe(a);
      expect(route('kube_team__b__b_example_org_____api')).not.toBe(b);
      expect(route('kube_team__b__b_example_org_____api').backend).toMatchObject({ type: 'lb' });
      expect(route('kube_team__b__b_example_org_____api').filters[0]).toBe(b.filters[0]);
      // the retired table closed nothing: the new table holds both filters
      expect(closed).toEqual([]);
      // a change of b's filter compiles its route again and closes the old instance with the old table
      const edited = provider.snapshot().ingresses.map((i) =>
        i.metadata.name === 'b' ? { ...i, metadata: { ...i.metadata, annotations: { 'zalando.org/skipper-filter': 'probe("b2")' } } } : i,
      );
      provider.set({ ...provider.snapshot(), ingresses: edited });
      expect(tables).toBe(3);
      expect(closed).toEqual(['b']);
      // a status write changes nothing the table is made of: no rebuild
      provider.set({ ...provider.snapshot(), ingresses: provider.snapshot().ingresses.map((i) => ({ ...i, metadata: { ...i.metadata, resourceVersion: '9' } })) });
      expect(tables).toBe(3);
    } finally {
      await skiff.stop({ drainDelayMs: 0 });
    }
    // at shutdown every filter still open is closed, each once
    expect(closed.sort()).toEqual(['a', 'b', 'b2']);
  });
});
