import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kubernetes/cache.js';
import { Reflector } from '../../../src/kubernetes/watch/reflector.js';
import type { ReflectorChange, ReflectorTuning } from '../../../src/kubernetes/watch/reflector.js';
import { fastTuning, ingress, quiet, sleep, startHarness, waitFor } from './support.js';
import type { Harness } from './support.js';

const INGRESSES = '/apis/networking.k8s.io/v1/ingresses';

let harness: Harness | undefined;
let reflector: Reflector | undefined;

afterEach(async () => {
  await reflector?.stop();
  reflector = undefined;
  await harness?.close();
  harness = undefined;
});

async function setup(
  options: Parameters<typeof startHarness>[0] = {},
  tuning: ReflectorTuning = fastTuning,
  path = INGRESSES,
): Promise<{ h: Harness; r: Reflector; changes: ReflectorChange[] }> {
  const h = await startHarness(options);
  harness = h;
  const r = new Reflector({ ...tuning, client: h.client, path, logger: quiet });
  reflector = r;
  const changes: ReflectorChange[] = [];
  r.onChange((c) => changes.push(c));
  return { h, r, changes };
}

function names(r: Reflector): string[] {
  return r.store.values().map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
}

function hostOf(o: KubeObject | undefined): string | undefined {
  return (o as { spec?: { rules?: { host?: string }[] } } | undefined)?.spec?.rules?.[0]?.host;
}

describe('Reflector', () => {
  it('lists every object, fills in kind, and reports synced once', async () => {
    const { h, r } = await setup();
    h.fake.create('ingresses', ingress('a', 'one'));
    h.fake.create('ingresses', ingress('b', 'two'));
    h.fake.create('services', { metadata: { namespace: 'a', name: 'svc' } });
    let synced = 0;
    r.onSynced(() => synced++);
    r.start();
    await waitFor(() => r.synced, 3000, 'sync');
    expect(synced).toBe(1);
    expect(names(r)).toEqual(['a/one', 'b/two']);
    expect(r.store.get('a/one')?.kind).toBe('Ingress');
    expect(r.store.get('a/one')?.apiVersion).toBe('networking.k8s.io/v1');
    const stats = r.stats();
    expect(stats.lists).toBe(1);
    expect(stats.relists).toBe(0);
    expect(stats.resourceVersion).toBe(String(h.fake.resourceVersion));
    // The watch starts from the list's resourceVersion with bookmarks and a server timeout.
    await waitFor(() => h.fake.count('watch') === 1, 3000, 'watch');
    const watch = h.fake.requests.find((q) => q.watch);
    expect(watch?.query.get('resourceVersion')).toBe(stats.resourceVersion);
    expect(watch?.query.get('allowWatchBookmarks')).toBe('true');
    expect(watch?.query.get('timeoutSeconds')).toBe('30');
  });

  it('pages a large list with limit and continue', async () => {
    const { h, r } = await setup({}, { ...fastTuning, pageSize: 2 });
    for (let i = 0; i < 5; i++) h.fake.create('ingresses', ingress('ns', `i${i}`));
    r.start();
    await waitFor(() => r.synced);
    expect(r.store.size).toBe(5);
    expect(r.stats().listRequests).toBe(3);
    expect(h.fake.requests.filter((q) => !q.watch).map((q) => q.query.get('limit'))).toEqual(['2', '2', '2']);
  });

  it('follows created, modified and deleted objects', async () => {
    const { h, r, changes } = await setup();
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);

    h.fake.create('ingresses', ingress('a', 'two'));
    await waitFor(() => r.store.size === 2, 3000, 'create');
    h.fake.update('ingresses', ingress('a', 'one', 'changed.example.org'));
    await waitFor(() => hostOf(r.store.get('a/one')) === 'changed.example.org', 3000, 'modify');
    h.fake.delete('ingresses', 'a', 'two');
    await waitFor(() => r.store.size === 1, 3000, 'delete');

    expect(names(r)).toEqual(['a/one']);
    expect(changes).toEqual([
      { type: 'ADDED', key: 'a/two' },
      { type: 'MODIFIED', key: 'a/one' },
      { type: 'DELETED', key: 'a/two' },
    ]);
    expect(r.stats().events).toMatchObject({ ADDED: 1, MODIFIED: 1, DELETED: 1 });
    expect(r.stats().resourceVersion).toBe(String(h.fake.resourceVersion));
  });

  it('skips an event whose name or namespace is not a string, and goes on', async () => {
    const { h, r, changes } = await setup();
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    h.fake.writeToWatches('ingresses', '{"type":"ADDED","object":{"metadata":{"name":"odd","namespace":{"x":1},"resourceVersion":"900"}}}\n');
    h.fake.writeToWatches('ingresses', '{"type":"ADDED","object":{"metadata":{"name":"odd","namespace":7,"resourceVersion":"901"}}}\n');
    h.fake.create('ingresses', ingress('a', 'two'));
    await waitFor(() => r.store.size === 2, 3000, 'the valid event after the odd ones');
    expect(names(r)).toEqual(['a/one', 'a/two']);
    expect(changes).toEqual([{ type: 'ADDED', key: 'a/two' }]);
  });

  it('advances its resourceVersion on a bookmark without reporting a change', async () => {
    const { h, r, changes } = await setup();
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    // Changes to another kind move the server's resourceVersion past ours.
    h.fake.create('services', { metadata: { namespace: 'a', name: 's1' } });
    h.fake.create('services', { metadata: { namespace: 'a', name: 's2' } });
    const before = r.stats().resourceVersion;
    h.fake.bookmark();
    await waitFor(() => r.stats().events.BOOKMARK === 1, 3000, 'bookmark');
    expect(before).not.toBe(String(h.fake.resourceVersion));
    expect(r.stats().resourceVersion).toBe(String(h.fake.resourceVersion));
    expect(changes).toEqual([]);
    // The next watch starts from the bookmarked version.
    h.fake.endWatches();
    await waitFor(() => h.fake.count('watch') === 2, 3000, 're-watch');
    expect(h.fake.requests.filter((q) => q.watch)[1]?.query.get('resourceVersion')).toBe(String(h.fake.resourceVersion));
  });

  it('tells when the API server last answered: list, bookmark; not while it is down', async () => {
    const { h, r } = await setup();
    expect(r.stats().lastSyncAt).toBeUndefined();
    const start = Date.now();
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    const listed = r.stats().lastSyncAt!;
    expect(listed).toBeGreaterThanOrEqual(start);
    expect(listed).toBeGreaterThanOrEqual(r.stats().lastListAt!);
    await sleep(30);
    h.fake.bookmark();
    await waitFor(() => r.stats().events.BOOKMARK === 1, 3000, 'bookmark');
    const bookmarked = r.stats().lastSyncAt!;
    expect(bookmarked).toBeGreaterThan(listed);
    // a server that resets every request is no answer
    h.fake.goDown('reset');
    await sleep(200);
    const down = r.stats().lastSyncAt!;
    const errors = r.stats().errors;
    await sleep(400);
    expect(r.stats().errors).toBeGreaterThan(errors);
    expect(r.stats().lastSyncAt).toBe(down);
    h.fake.comeUp();
    await waitFor(() => (r.stats().lastSyncAt ?? 0) > down, 5000, 'a new answer');
  });

  it('relists after an ERROR 410 event and drops objects deleted while history expired', async () => {
    const { h, r, changes } = await setup();
    h.fake.create('ingresses', ingress('a', 'keep'));
    h.fake.create('ingresses', ingress('a', 'gone'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);

    h.fake.stallWatches();
    h.fake.delete('ingresses', 'a', 'gone');
    h.fake.create('ingresses', ingress('a', 'new'));
    h.fake.expireHistory({ endWatches: true });

    await waitFor(() => r.stats().relists === 1, 3000, 'relist');
    expect(names(r)).toEqual(['a/keep', 'a/new']);
    expect(r.stats().gone).toBe(1);
    expect(changes).toEqual([{ type: 'RELIST' }]);
    // Watching resumes from the relist and sees new changes.
    await waitFor(() => h.fake.activeWatches === 1);
    h.fake.create('ingresses', ingress('a', 'later'));
    await waitFor(() => r.store.size === 3, 3000, 'event after relist');
  });

  it('relists after an HTTP 410 on the watch request and converges without duplicates', async () => {
    const { h, r } = await setup({ goneAs: 'status' });
    h.fake.create('ingresses', ingress('a', 'one'));
    h.fake.create('ingresses', ingress('a', 'two'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);

    h.fake.goDown('reset');
    h.fake.delete('ingresses', 'a', 'two');
    h.fake.update('ingresses', ingress('a', 'one', 'moved.example.org'));
    h.fake.create('ingresses', ingress('b', 'three'));
    h.fake.expireHistory();
    h.fake.comeUp();

    await waitFor(() => r.stats().relists === 1 && h.fake.activeWatches === 1, 5000, 'relist');
    expect(names(r)).toEqual(['a/one', 'b/three']);
    expect(hostOf(r.store.get('a/one'))).toBe('moved.example.org');
    expect(r.stats().gone).toBeGreaterThanOrEqual(1);
  });

  it('re-watches from the last resourceVersion after a dropped stream, without relisting', async () => {
    const { h, r } = await setup();
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    h.fake.create('ingresses', ingress('a', 'two'));
    await waitFor(() => r.store.size === 2);
    const rv = r.stats().resourceVersion;

    h.fake.dropWatches();
    // Changes made while the stream is down arrive through the new watch's replay.
    h.fake.create('ingresses', ingress('a', 'three'));
    await waitFor(() => r.store.size === 3, 3000, 'replay after drop');

    const watches = h.fake.requests.filter((q) => q.watch);
    expect(watches).toHaveLength(2);
    expect(watches[1]?.query.get('resourceVersion')).toBe(rv);
    expect(h.fake.count('list')).toBe(1);
    expect(r.stats().relists).toBe(0);
    expect(r.stats().watchRestarts).toBe(1);
  });

  it('does not hot-loop while the API is down, keeps its objects, and recovers', async () => {
    // Production-like delays: the bound below must hold with real jitter.
    const { h, r } = await setup({}, { ...fastTuning, backoff: { initialMs: 200, maxMs: 1000 }, minWatchIntervalMs: 10 });
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);

    const connectionsBefore = h.fake.connections;
    h.fake.goDown('reset');
    await sleep(2000);
    const attempts = h.fake.connections - connectionsBefore;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(10);
    expect(names(r)).toEqual(['a/one']);
    expect(r.synced).toBe(true);
    expect(r.stats().consecutiveFailures).toBeGreaterThanOrEqual(2);

    h.fake.create('ingresses', ingress('a', 'two'));
    h.fake.comeUp();
    await waitFor(() => r.store.size === 2, 5000, 'recovery');
    expect(r.stats().relists).toBe(0);
  });

  it('backs off on 500 answers instead of retrying at once', async () => {
    const { h, r } = await setup({}, { ...fastTuning, backoff: { initialMs: 100, maxMs: 400 } });
    h.fake.create('ingresses', ingress('a', 'one'));
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    h.fake.goDown('error');
    const before = h.fake.requests.length;
    await sleep(1000);
    const during = h.fake.requests.length - before;
    // 100, 100-200, 100-400, 100-400 ms ... => at most 10 in a second, typically 4-5.
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(10);
    expect(r.store.size).toBe(1);
    h.fake.comeUp();
    h.fake.create('ingresses', ingress('a', 'two'));
    await waitFor(() => r.store.size === 2, 3000, 'recovery');
  });

  it('keeps retrying when the first list fails, and syncs once the API answers', async () => {
    const h = await startHarness();
    harness = h;
    h.fake.create('ingresses', ingress('a', 'one'));
    h.fake.failNext(3, 503, 'list');
    const r = new Reflector({ ...fastTuning, client: h.client, path: INGRESSES, logger: quiet });
    reflector = r;
    r.start();
    await waitFor(() => r.synced, 3000, 'sync after failures');
    expect(h.fake.count('list')).toBe(4);
    expect(r.stats().errors).toBe(3);
    expect(names(r)).toEqual(['a/one']);
  });

  it('re-watches after an ERROR event other than 410 without relisting', async () => {
    const { h, r } = await setup();
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    h.fake.failNext(1, 500, 'watch');
    h.fake.endWatches();
    await waitFor(() => h.fake.count('watch') >= 3 && h.fake.activeWatches === 1, 3000, 'watch back');
    h.fake.create('ingresses', ingress('a', 'one'));
    await waitFor(() => r.store.size === 1);
    expect(h.fake.count('list')).toBe(1);
    expect(r.stats().errors).toBe(1);
  });

  it('limits reconnects to a server that ends every watch at once', async () => {
    const { h, r } = await setup({}, { ...fastTuning, backoff: { initialMs: 100, maxMs: 1000 }, quickCloseMs: 500 });
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    const interval = setInterval(() => h.fake.endWatches(), 5);
    try {
      await sleep(1500);
    } finally {
      clearInterval(interval);
    }
    // client-node 1.4 sends thousands of watch requests here.
    expect(h.fake.count('watch')).toBeLessThanOrEqual(10);
  });

  it('drops a stalled watch after the inactivity timeout and catches up', async () => {
    const { h, r } = await setup({}, { ...fastTuning, inactivityTimeoutMs: 300 });
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    h.fake.stallWatches();
    h.fake.create('ingresses', ingress('a', 'missed'));
    await sleep(100);
    expect(r.store.size).toBe(0);
    await waitFor(() => r.store.size === 1, 3000, 'catch up after stall');
    expect(h.fake.count('list')).toBe(1);
  });

  it('stops cleanly, aborting the open watch', async () => {
    const { h, r } = await setup();
    r.start();
    await waitFor(() => r.synced && h.fake.activeWatches === 1);
    await r.stop();
    await waitFor(() => h.fake.activeWatches === 0, 2000, 'watch closed');
    const count = h.fake.requests.length;
    await sleep(200);
    expect(h.fake.requests.length).toBe(count);
  });
});
