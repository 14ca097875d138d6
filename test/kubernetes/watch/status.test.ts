import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kubernetes/cache.js';
import { IngressStatusWriter, loadBalancerIngressFor, updateIngressStatus } from '../../../src/kubernetes/status.js';
import { ClusterWatch } from '../../../src/kubernetes/watch/cluster-watch.js';
import type { FakeObject } from '../../helpers/fake-apiserver.js';
import { fastTuning, ingress, quiet, startHarness, waitFor } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;
let watch: ClusterWatch | undefined;

afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  await harness?.close();
  harness = undefined;
});

const ADDRESS = '127.0.0.10';

function statusOf(obj: FakeObject | KubeObject | undefined): unknown {
  return (obj as { status?: { loadBalancer?: { ingress?: unknown } } } | undefined)?.status?.loadBalancer?.ingress;
}

function withStatus(ns: string, name: string, lb: unknown[]): FakeObject {
  return { ...ingress(ns, name), status: { loadBalancer: { ingress: lb } } };
}

describe('loadBalancerIngressFor', () => {
  it('publishes an IP as ip and anything else as hostname', () => {
    expect(loadBalancerIngressFor('127.0.0.10')).toEqual([{ ip: '127.0.0.10' }]);
    expect(loadBalancerIngressFor('::1')).toEqual([{ ip: '::1' }]);
    expect(loadBalancerIngressFor(['lb.example.org', ' ', '127.0.0.11'])).toEqual([{ hostname: 'lb.example.org' }, { ip: '127.0.0.11' }]);
  });
});

describe('IngressStatusWriter', () => {
  it('patches only the given Ingresses whose status differs, by merge patch on the status subresource', async () => {
    const h = await startHarness();
    harness = h;
    const fresh = h.fake.create('ingresses', ingress('a', 'fresh'));
    const done = h.fake.create('ingresses', withStatus('a', 'done', [{ ip: ADDRESS }]));
    const stale = h.fake.create('ingresses', withStatus('a', 'stale', [{ ip: '127.0.0.99' }, { hostname: 'old.example.org' }]));
    h.fake.create('ingresses', ingress('b', 'other-class'));

    const writer = new IngressStatusWriter({ client: h.client, addresses: ADDRESS, logger: quiet });
    const result = await writer.update([fresh, done, stale]);
    expect([...result.written].sort()).toEqual(['a/fresh', 'a/stale']);
    expect(result.unchanged).toEqual(['a/done']);
    expect(result.failed).toEqual([]);

    expect(h.fake.statusPatches.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(['a/fresh', 'a/stale']);
    for (const p of h.fake.statusPatches) {
      expect(p.contentType).toBe('application/merge-patch+json');
      expect(p.body).toEqual({ status: { loadBalancer: { ingress: [{ ip: ADDRESS }] } } });
    }
    expect(h.fake.requests.filter((r) => r.method === 'PATCH').map((r) => r.path).sort()).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/a/ingresses/fresh/status',
      '/apis/networking.k8s.io/v1/namespaces/a/ingresses/stale/status',
    ]);
    expect(statusOf(h.fake.get('ingresses', 'a', 'fresh'))).toEqual([{ ip: ADDRESS }]);
    expect(statusOf(h.fake.get('ingresses', 'a', 'stale'))).toEqual([{ ip: ADDRESS }]);
    expect(statusOf(h.fake.get('ingresses', 'b', 'other-class'))).toBeUndefined();

    // The cache has not caught up with our write yet: no second write of the same value.
    const again = await writer.update([fresh, done, stale]);
    expect(again.written).toEqual([]);
    expect(h.fake.statusPatches).toHaveLength(2);

    // The cache caught up: the status matches, nothing to write.
    const caughtUp = ['fresh', 'done', 'stale'].map((n) => h.fake.get('ingresses', 'a', n) as FakeObject);
    expect((await writer.update(caughtUp)).unchanged).toHaveLength(3);
    expect(h.fake.statusPatches).toHaveLength(2);

    // Someone else overwrote the status: it is written back.
    const overwritten = h.fake.update('ingresses', withStatus('a', 'fresh', [{ hostname: 'intruder.example.org' }]));
    expect((await writer.update([overwritten])).written).toEqual(['a/fresh']);
    expect(statusOf(h.fake.get('ingresses', 'a', 'fresh'))).toEqual([{ ip: ADDRESS }]);
    expect(h.fake.statusPatches).toHaveLength(3);
  });

  it('reports failures without throwing and retries them on the next call', async () => {
    const h = await startHarness();
    harness = h;
    const one = h.fake.create('ingresses', ingress('a', 'one'));
    const writer = new IngressStatusWriter({ client: h.client, addresses: 'lb.example.org', logger: quiet });
    h.fake.failNext(1, 500, 'patch');
    const failed = await writer.update([one]);
    expect(failed).toEqual({ written: [], unchanged: [], failed: ['a/one'] });
    expect(statusOf(h.fake.get('ingresses', 'a', 'one'))).toBeUndefined();

    const retried = await writer.update([one]);
    expect(retried.written).toEqual(['a/one']);
    expect(statusOf(h.fake.get('ingresses', 'a', 'one'))).toEqual([{ hostname: 'lb.example.org' }]);

    // An Ingress that no longer exists fails (404) and does not stop the others.
    const ghost = { ...ingress('a', 'ghost'), metadata: { namespace: 'a', name: 'ghost', resourceVersion: '1' } };
    const two = h.fake.create('ingresses', ingress('a', 'two'));
    const mixed = await updateIngressStatus(h.client, [ghost, two], 'lb.example.org', quiet);
    expect(mixed.failed).toEqual(['a/ghost']);
    expect(mixed.written).toEqual(['a/two']);
  });

  it('settles with the watch: after the write comes back through the cache, nothing more is written', async () => {
    const h = await startHarness();
    harness = h;
    h.fake.create('ingresses', ingress('a', 'served'));
    h.fake.create('ingresses', { ...ingress('a', 'foreign'), spec: { ingressClassName: 'other' } });
    const w = new ClusterWatch({ client: h.client, tuning: fastTuning, logger: quiet, debounceMs: 20, maxWaitMs: 100 });
    watch = w;
    const writer = new IngressStatusWriter({ client: h.client, addresses: ADDRESS, logger: quiet });
    const served = (list: readonly KubeObject[]): KubeObject[] =>
      list.filter((i) => (i as { spec?: { ingressClassName?: string } }).spec?.ingressClassName === 'skiff');
    let writes = 0;
    w.onChange(async (snap) => {
      writes += (await writer.update(served(snap.ingresses))).written.length;
    });
    w.start();
    await waitFor(() => statusOf(w.snapshot().ingresses.find((i) => i.metadata.name === 'served')) !== undefined, 3000, 'status seen');
    await new Promise((r) => setTimeout(r, 200));
    expect(writes).toBe(1);
    expect(h.fake.statusPatches).toHaveLength(1);
    expect(statusOf(h.fake.get('ingresses', 'a', 'foreign'))).toBeUndefined();
  });

  it('gives each Ingress the addresses asked for it, and leaves one with none alone', async () => {
    const h = await startHarness();
    harness = h;
    const ext = h.fake.create('ingresses', ingress('a', 'ext'));
    const int = h.fake.create('ingresses', withStatus('a', 'int', [{ hostname: 'int.example.org' }, { ip: '10.0.5.6' }]));
    const none = h.fake.create('ingresses', withStatus('a', 'none', [{ hostname: 'someone-else.example.org' }]));
    const lists: Record<string, readonly string[]> = { ext: ['ext.example.org', '192.0.2.1'], int: ['int.example.org', '10.0.5.6'], none: [] };
    const writer = new IngressStatusWriter({ client: h.client, addresses: 'ignored.example.org', logger: quiet });
    const result = await writer.update([ext, int, none], (i) => lists[i.metadata.name]!);
    expect(result).toEqual({ written: ['a/ext'], unchanged: ['a/int'], failed: [] });
    expect(statusOf(h.fake.get('ingresses', 'a', 'ext'))).toEqual([{ hostname: 'ext.example.org' }, { ip: '192.0.2.1' }]);
    expect(statusOf(h.fake.get('ingresses', 'a', 'none'))).toEqual([{ hostname: 'someone-else.example.org' }]);

    // The Ingress moves to the other listener before the cache has seen the first write: the
    // memory of that write does not hide the new addresses.
    lists['ext'] = lists['int']!;
    expect((await writer.update([ext], (i) => lists[i.metadata.name]!)).written).toEqual(['a/ext']);
    expect(statusOf(h.fake.get('ingresses', 'a', 'ext'))).toEqual([{ hostname: 'int.example.org' }, { ip: '10.0.5.6' }]);
    expect(h.fake.statusPatches.map((p) => p.name)).toEqual(['ext', 'ext']);
  });
});
