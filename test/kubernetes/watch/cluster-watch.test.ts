import { afterEach, describe, expect, it } from 'vitest';
import { ClusterWatch } from '../../../src/kubernetes/watch/cluster-watch.js';
import type { ClusterSnapshot, ClusterWatchOptions } from '../../../src/kubernetes/watch/cluster-watch.js';
import { fastTuning, ingress, quiet, service, sleep, startHarness, waitFor } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;
let watch: ClusterWatch | undefined;

afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  await harness?.close();
  harness = undefined;
});

async function setup(
  options: Partial<ClusterWatchOptions> = {},
): Promise<{ h: Harness; w: ClusterWatch; calls: ClusterSnapshot[] }> {
  const h = await startHarness();
  harness = h;
  const w = new ClusterWatch({ client: h.client, tuning: fastTuning, logger: quiet, ...options });
  watch = w;
  const calls: ClusterSnapshot[] = [];
  w.onChange((s) => {
    calls.push(s);
  });
  return { h, w, calls };
}

function seed(h: Harness): void {
  h.fake.create('ingresses', ingress('a', 'web'));
  h.fake.create('services', service('a', 'web'));
  h.fake.create('endpointslices', { metadata: { namespace: 'a', name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, endpoints: [] });
  h.fake.create('ingressclasses', { metadata: { name: 'skiff' }, spec: { controller: 'zalando.org/skiff' } });
}

const keys = (list: readonly { metadata: { namespace?: string; name: string } }[]): string[] =>
  list.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));

describe('ClusterWatch', () => {
  it('becomes ready only when all four kinds are listed, then calls subscribers once', async () => {
    const { h, w, calls } = await setup();
    seed(h);
    h.fake.failNext(4, 503, 'list', 'ingressclasses');
    w.start();
    await waitFor(() => w.stats().reflectors.filter((r) => r.synced).length === 3, 3000, 'three kinds');
    expect(w.ready).toBe(false);
    expect(calls).toHaveLength(0);

    await w.whenReady();
    expect(w.ready).toBe(true);
    await sleep(50);
    expect(calls).toHaveLength(1);
    const snap = calls[0];
    expect(snap && keys(snap.ingresses)).toEqual(['a/web']);
    expect(snap && keys(snap.services)).toEqual(['a/web']);
    expect(snap && keys(snap.endpointSlices)).toEqual(['a/web-abc']);
    expect(snap && keys(snap.ingressClasses)).toEqual(['skiff']);
    expect(w.stats().notifications).toBe(1);
  });

  it('collapses a burst of 100 changes into one or two notifications', async () => {
    const { h, w, calls } = await setup({ debounceMs: 100, maxWaitMs: 500 });
    seed(h);
    w.start();
    await w.whenReady();
    await waitFor(() => h.fake.activeWatches === 4);
    calls.length = 0;

    for (let i = 0; i < 100; i++) {
      if (i % 3 === 0) h.fake.create('services', service('b', `s${i}`));
      else h.fake.create('ingresses', ingress('b', `i${i}`));
    }
    await waitFor(() => calls.length > 0 && w.snapshot().ingresses.length === 67, 3000, 'burst applied');
    await sleep(300);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    const last = calls[calls.length - 1];
    expect(last?.ingresses).toHaveLength(67);
    expect(last?.services).toHaveLength(35);
  });

  it('still notifies during a steady stream of changes, at the max wait', async () => {
    const { h, w, calls } = await setup({ debounceMs: 100, maxWaitMs: 250 });
    w.start();
    await w.whenReady();
    await waitFor(() => h.fake.activeWatches === 4);
    calls.length = 0;
    const started = Date.now();
    let i = 0;
    while (Date.now() - started < 1000) {
      h.fake.create('ingresses', ingress('c', `s${i++}`));
      await sleep(20);
    }
    const during = calls.length;
    // Pure trailing debounce would give 0 here; max wait gives about one call per 250 ms.
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(6);
  });

  it('does not notify for a bookmark alone', async () => {
    const { h, w, calls } = await setup({ debounceMs: 20, maxWaitMs: 50 });
    seed(h);
    w.start();
    await w.whenReady();
    await waitFor(() => h.fake.activeWatches === 4);
    h.fake.create('services', service('z', 'moves-rv'));
    await waitFor(() => calls.length === 2);
    h.fake.bookmark();
    await waitFor(() => w.stats().reflectors.every((r) => r.events.BOOKMARK === 1), 3000, 'bookmarks');
    await sleep(100);
    expect(calls).toHaveLength(2);
  });

  it('watches only the chosen namespaces, and IngressClasses cluster-wide', async () => {
    const { h, w } = await setup({ namespaces: ['a', 'c'] });
    seed(h);
    h.fake.create('ingresses', ingress('b', 'other'));
    h.fake.create('ingresses', ingress('c', 'third'));
    w.start();
    await w.whenReady();
    expect(keys(w.snapshot().ingresses)).toEqual(['a/web', 'c/third']);
    expect(keys(w.snapshot().ingressClasses)).toEqual(['skiff']);
    const paths = new Set(h.fake.requests.filter((r) => !r.watch).map((r) => r.path));
    expect(paths).toEqual(
      new Set([
        '/apis/networking.k8s.io/v1/namespaces/a/ingresses',
        '/apis/networking.k8s.io/v1/namespaces/c/ingresses',
        '/api/v1/namespaces/a/services',
        '/api/v1/namespaces/c/services',
        '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices',
        '/apis/discovery.k8s.io/v1/namespaces/c/endpointslices',
        '/apis/networking.k8s.io/v1/ingressclasses',
      ]),
    );
    h.fake.create('ingresses', ingress('b', 'ignored'));
    h.fake.create('ingresses', ingress('a', 'seen'));
    await waitFor(() => w.snapshot().ingresses.length === 3);
    expect(keys(w.snapshot().ingresses)).toEqual(['a/seen', 'a/web', 'c/third']);
  });

  it('stays ready and keeps its snapshot through an outage, then follows changes again', async () => {
    const { h, w, calls } = await setup({ debounceMs: 20, maxWaitMs: 100 });
    seed(h);
    w.start();
    await w.whenReady();
    await waitFor(() => h.fake.activeWatches === 4);

    h.fake.goDown('error');
    await sleep(300);
    expect(w.ready).toBe(true);
    expect(keys(w.snapshot().ingresses)).toEqual(['a/web']);
    const before = calls.length;

    h.fake.delete('ingresses', 'a', 'web');
    h.fake.create('ingresses', ingress('a', 'after'));
    h.fake.expireHistory();
    h.fake.comeUp();
    await waitFor(() => keys(w.snapshot().ingresses).join() === 'a/after', 5000, 'convergence');
    await waitFor(() => calls.length > before);
    expect(keys(calls[calls.length - 1]?.ingresses ?? [])).toEqual(['a/after']);
    expect(w.stats().reflectors.find((r) => r.resource === 'ingresses')?.relists).toBe(1);
  });

  it('is not ready while the API is down from the start, and becomes ready when it comes up', async () => {
    const { h, w, calls } = await setup();
    seed(h);
    h.fake.goDown('reset');
    w.start();
    await sleep(300);
    expect(w.ready).toBe(false);
    expect(calls).toHaveLength(0);
    h.fake.comeUp();
    await w.whenReady(AbortSignal.timeout(3000));
    await waitFor(() => calls.length === 1);
    expect(keys(calls[0]?.ingresses ?? [])).toEqual(['a/web']);
  });

  it('whenReady rejects when its signal aborts first', async () => {
    const { h, w } = await setup();
    h.fake.goDown('reset');
    w.start();
    await expect(w.whenReady(AbortSignal.timeout(100))).rejects.toBeDefined();
    expect(w.ready).toBe(false);
  });
});
