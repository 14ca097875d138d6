/**
 * The table follows the cluster: objects created, changed and deleted on the API server, endpoint
 * changes, an API outage (serving goes on, readiness stays) and an expired watch history (a relist
 * converges), all through the real client, watch, translation and proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, endpointSlice, eventually, expose, ingress, NS, rule, send, servedBy, service, sleep, startCluster, startPod, startPods } from './harness.js';
import type { Cluster, Pod } from './harness.js';

let c: Cluster;
let pods: Pod[] = [];

beforeAll(async () => {
  c = await startCluster();
});

afterAll(async () => {
  await c?.close();
  await Promise.all(pods.map((p) => p.close()));
});

async function readyz(): Promise<number> {
  return (await fetch(`${c.supportUrl}/readyz`)).status;
}

describe('routing follows the API', () => {
  it('serves an Ingress once created, follows its changes, and stops when it is deleted', async () => {
    const [web, api] = [await startPod('web'), await startPod('api')];
    pods.push(web, api);
    expose(c.fake, [web]);
    expose(c.fake, [api]);
    expect(await servedBy(c.url(), 'life.example.org', '/')).toBe(404);

    c.fake.create('ingresses', ingress('life', { rules: [rule('life.example.org', [['/', 'Prefix', 'web']])] }));
    await eventually(async () => (await servedBy(c.url(), 'life.example.org', '/x')) === 'web', 'ingress served');
    const answer = await send(c.url(), 'life.example.org', '/x?q=1');
    expect(answer.echo).toMatchObject({ path: '/x?q=1', host: 'life.example.org', method: 'GET' });

    c.fake.update('ingresses', ingress('life', { rules: [rule('life.example.org', [['/', 'Prefix', 'web'], ['/api', 'Prefix', 'api']])] }));
    await eventually(async () => (await servedBy(c.url(), 'life.example.org', '/api/v1')) === 'api', 'new path served');
    expect(await servedBy(c.url(), 'life.example.org', '/apix')).toBe('web');

    c.fake.update('ingresses', ingress('life', { rules: [rule('moved.example.org', [['/', 'Prefix', 'web']])] }));
    await eventually(async () => (await servedBy(c.url(), 'moved.example.org', '/')) === 'web', 'host change');
    expect(await servedBy(c.url(), 'life.example.org', '/')).toBe(404);

    c.fake.delete('ingresses', NS, 'life');
    await eventually(async () => (await servedBy(c.url(), 'moved.example.org', '/')) === 404, 'ingress deleted');
  });

  it('follows EndpointSlice changes: a pod added, one not ready, one removed, none left', async () => {
    const all = await startPods('scale', 3, 20);
    pods.push(...all);
    const [p0, p1, p2] = all as [Pod, Pod, Pod];
    c.fake.create('services', service('scale'));
    c.fake.create('endpointslices', endpointSlice('scale', [p0]));
    c.fake.create('ingresses', ingress('scale', { rules: [rule('scale.example.org', [['/', 'Prefix', 'scale']])] }));
    const podsSeen = async (n: number): Promise<Set<string>> => {
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const a = await send(c.url(), 'scale.example.org', '/');
        seen.add(a.echo?.pod ?? String(a.status));
      }
      return seen;
    };
    await eventually(async () => (await servedBy(c.url(), 'scale.example.org', '/')) === 'scale', 'served by one pod');

    c.fake.update('endpointslices', endpointSlice('scale', [p0, p1, p2]));
    await eventually(async () => (await podsSeen(9)).size === 3, 'three pods serve');

    c.fake.update('endpointslices', endpointSlice('scale', [p0, p1, p2], { notReady: ['scale-1'] }));
    await eventually(async () => !(await podsSeen(9)).has('scale-1'), 'not-ready pod left out');
    expect([...(await podsSeen(12))].sort()).toEqual(['scale-0', 'scale-2']);

    c.fake.update('endpointslices', endpointSlice('scale', [p2]));
    await eventually(async () => {
      const seen = await podsSeen(6);
      return seen.size === 1 && seen.has('scale-2');
    }, 'removed pods gone');

    c.fake.update('endpointslices', endpointSlice('scale', []));
    await eventually(async () => (await send(c.url(), 'scale.example.org', '/')).status === 502, 'no endpoints: 502');
    expect((await send(c.url(), 'scale.example.org', '/')).text).toBe('no endpoints');
  });

  it('keeps serving, and stays ready, while the API is down; catches up when it is back', async () => {
    const svc = await startPod('steady');
    pods.push(svc);
    expose(c.fake, [svc]);
    c.fake.create('ingresses', ingress('steady', { rules: [rule('steady.example.org', [['/', 'Prefix', 'steady']])] }));
    await eventually(async () => (await servedBy(c.url(), 'steady.example.org', '/')) === 'steady', 'served');

    c.fake.goDown('reset');
    await sleep(300);
    for (let i = 0; i < 10; i++) expect(await servedBy(c.url(), 'steady.example.org', `/during/${i}`)).toBe('steady');
    expect(await readyz()).toBe(200);
    expect(c.watch.ready).toBe(true);
    // Changes made while the watch cannot see them are picked up once the API is back.
    c.fake.update('ingresses', ingress('steady', { rules: [rule('steady.example.org', [['/', 'Prefix', 'steady']]), rule('after.example.org', [['/', 'Prefix', 'steady']])] }));
    await sleep(200);
    expect(await servedBy(c.url(), 'after.example.org', '/')).toBe(404);

    c.fake.comeUp();
    await eventually(async () => (await servedBy(c.url(), 'after.example.org', '/')) === 'steady', 'change after recovery', 8_000);
    expect(await servedBy(c.url(), 'steady.example.org', '/')).toBe('steady');
  });

  it('relists when the watch history has expired, and converges on the current objects', async () => {
    const svc = await startPod('relist');
    pods.push(svc);
    expose(c.fake, [svc]);
    c.fake.create('ingresses', ingress('relist-a', { rules: [rule('relist-a.example.org', [['/', 'Prefix', 'relist']])] }));
    await eventually(async () => (await servedBy(c.url(), 'relist-a.example.org', '/')) === 'relist', 'served');
    const relistsBefore = c.watch.stats().reflectors.reduce((n, r) => n + r.relists, 0);

    // Changes the open watches never see, then a history that no longer reaches back to them.
    c.fake.stallWatches();
    c.fake.delete('ingresses', NS, 'relist-a');
    c.fake.create('ingresses', ingress('relist-b', { rules: [rule('relist-b.example.org', [['/', 'Prefix', 'relist']])] }));
    c.fake.expireHistory({ endWatches: true });
    await eventually(async () => (await servedBy(c.url(), 'relist-b.example.org', '/')) === 'relist', 'new object after relist', 8_000);
    expect(await servedBy(c.url(), 'relist-a.example.org', '/')).toBe(404);
    expect(c.watch.stats().reflectors.reduce((n, r) => n + r.relists, 0)).toBeGreaterThan(relistsBefore);
  });

  it('shows what it could not translate at /routes?invalid', async () => {
    c.fake.create('ingresses', ingress('broken', { rules: [{ host: 'broken.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('nowhere') }] } }] }));
    await eventually(async () => (await (await fetch(`${c.supportUrl}/routes?invalid`)).text()).includes('nowhere'), 'invalid route listed');
    const text = await (await fetch(`${c.supportUrl}/routes?invalid`)).text();
    expect(text).toMatch(/kube_conformance__broken__broken_example_org_____nowhere: \[SKIFF_ERR_INVALID_BACKEND\] service conformance\/nowhere not found/);
  });
});
