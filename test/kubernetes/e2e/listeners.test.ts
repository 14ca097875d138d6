/**
 * skiff as the command line builds it (--kubernetes with listeners bound to classes and a
 * published status address) against the fake API server: class separation between an external and
 * an internal listener, status, weighted backends, and the load balancer health check through a
 * drain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom, loadKubernetesSource } from '../../../src/cli/main.js';
import { parseCommandLine } from '../../../src/cli/options.js';
import { createSkiff, type Skiff } from '../../../src/skiff.js';
import { silentLogger } from '../../../src/log.js';
import { HEALTHCHECK_PATH } from '../../../src/kubernetes/translate/index.js';
import { FakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';
import type { KubeconfigFile } from '../../helpers/fake-apiserver.js';
import { backend, eventually, expose, ingress, NS, rule, send, servedBy, startPod } from './harness.js';
import type { Pod } from './harness.js';

let fake: FakeApiServer;
let kubeconfig: KubeconfigFile;
let skiff: Skiff;
const pods: Pod[] = [];
const url = (listener: string): string => `http://127.0.0.1:${skiff.addresses.get(listener)!.port}`;

beforeAll(async () => {
  fake = await FakeApiServer.start();
  kubeconfig = await writeKubeconfig(fake.url);
  for (const name of ['public-web', 'private-web', 'private-default', 'app-v1', 'app-v2', 'app-v3', 'nginx-web']) {
    const pod = await startPod(name);
    pods.push(pod);
    expose(fake, [pod]);
  }
  fake.create('ingresses', ingress('public', { rules: [rule('pub.example.org', [['/', 'Prefix', 'public-web']])] }, { ingressClassName: 'external' }));
  fake.create(
    'ingresses',
    ingress('private', { rules: [rule('priv.example.org', [['/', 'Prefix', 'private-web']])], defaultBackend: backend('private-default') }, { ingressClassName: 'internal' }),
  );
  fake.create('ingresses', ingress('other', { rules: [rule('nginx.example.org', [['/', 'Prefix', 'nginx-web']])] }, { ingressClassName: 'nginx' }));
  fake.create(
    'ingresses',
    ingress(
      'split',
      {
        rules: [
          rule('split.example.org', [
            ['/', 'Prefix', 'app-v1'],
            ['/', 'Prefix', 'app-v2'],
            ['/', 'Prefix', 'app-v3'],
          ]),
        ],
      },
      { ingressClassName: 'external', annotations: { 'zalando.org/backend-weights': '{"app-v1": 70, "app-v2": 30, "app-v3": 0}' } },
    ),
  );
  const opts = parseCommandLine(
    [
      '--kubernetes',
      '--kubeconfig', kubeconfig.path,
      '--address', '127.0.0.1:0',
      '--support-address', '127.0.0.1:0',
      '--listener', 'external=127.0.0.1:0=external',
      '--listener', 'internal=127.0.0.1:0=internal',
      '--publish-status-address', 'lb.example.net',
    ],
    {},
  );
  await loadKubernetesSource();
  skiff = createSkiff({ ...configFrom(opts, silentLogger), shutdownDeadlineMs: 2_000 });
  await skiff.start();
});

afterAll(async () => {
  await skiff?.stop({ drainDelayMs: 0 });
  await fake?.close();
  await kubeconfig?.remove();
  await Promise.all(pods.map((p) => p.close()));
});

describe('listeners bound to ingress classes', () => {
  it('serves each class only on its own listener', async () => {
    expect(await servedBy(url('external'), 'pub.example.org', '/')).toBe('public-web');
    expect(await servedBy(url('internal'), 'priv.example.org', '/')).toBe('private-web');
    expect(await servedBy(url('internal'), 'pub.example.org', '/')).not.toBe('public-web');
    // The default listener serves class skiff, which no Ingress here has.
    expect(await servedBy(url('default'), 'pub.example.org', '/')).toBe(404);
    expect(await servedBy(url('default'), 'priv.example.org', '/')).toBe(404);
  });

  it('never lets an internal host through the external listener, whatever the Host header', async () => {
    const hosts = ['priv.example.org', 'PRIV.example.ORG', 'priv.example.org:80', 'priv.example.org:9090', 'priv.example.org.', 'unknown.example.org', '127.0.0.1', 'localhost', ''];
    const paths = ['/', '/x', '/admin/../', '//priv.example.org/', HEALTHCHECK_PATH + '/x'];
    for (const host of hosts) {
      for (const path of paths) {
        const a = await send(url('external'), host, path);
        expect([host, path, a.echo?.service]).not.toEqual([host, path, 'private-web']);
        expect([host, path, a.echo?.service]).not.toEqual([host, path, 'private-default']);
      }
    }
    // The internal listener's default backend catches its unknown hosts; the external one has none.
    expect(await servedBy(url('internal'), 'unknown.example.org', '/')).toBe('private-default');
    expect(await servedBy(url('external'), 'unknown.example.org', '/')).toBe(404);
    // An Ingress of a class no listener serves is reachable nowhere.
    for (const l of ['default', 'external', 'internal']) expect(await servedBy(url(l), 'nginx.example.org', '/')).not.toBe('nginx-web');
  });

  it('publishes the status address on the Ingresses of every listener, and only on those', async () => {
    const want = JSON.stringify({ loadBalancer: { ingress: [{ hostname: 'lb.example.net' }] } });
    await eventually(
      () => ['public', 'private', 'split'].every((n) => JSON.stringify(fake.get('ingresses', NS, n)?.['status']) === want),
      'status on served Ingresses',
    );
    expect(fake.get('ingresses', NS, 'other')?.['status']).toBeUndefined();
    // Written once each: the status change coming back through the watch writes nothing more.
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.statusPatches.map((p) => p.name).sort()).toEqual(['private', 'public', 'split']);
  });

  it('splits traffic by zalando.org/backend-weights within 5% over 500 requests, and weight 0 gets nothing', async () => {
    const share = async (): Promise<Record<string, number>> => {
      const counts: Record<string, number> = { 'app-v1': 0, 'app-v2': 0, 'app-v3': 0 };
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < 500) {
          next++;
          const s = await servedBy(url('external'), 'split.example.org', '/');
          counts[String(s)] = (counts[String(s)] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      return counts;
    };
    // As the Gateway API weight test does: a few attempts, since the draw is random.
    let counts: Record<string, number> = {};
    for (let attempt = 0; attempt < 3; attempt++) {
      counts = await share();
      expect(counts['app-v3']).toBe(0);
      expect(counts['app-v1']! + counts['app-v2']!).toBe(500);
      if (Math.abs(counts['app-v1']! / 500 - 0.7) <= 0.05) break;
    }
    expect(Math.abs(counts['app-v1']! / 500 - 0.7)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(counts['app-v2']! / 500 - 0.3)).toBeLessThanOrEqual(0.05);
  });

  it('answers the load balancer health check with 200, then 503 while draining', async () => {
    for (const l of ['default', 'external', 'internal']) expect((await send(url(l), undefined, HEALTHCHECK_PATH)).status).toBe(200);
    const external = url('external');
    const stopped = skiff.stop({ drainDelayMs: 600 });
    const during = await send(external, undefined, HEALTHCHECK_PATH);
    expect(during.status).toBe(503);
    // Traffic is still served during the drain delay.
    expect(await servedBy(external, 'pub.example.org', '/')).toBe('public-web');
    await stopped;
    await expect(send(external, undefined, HEALTHCHECK_PATH)).rejects.toThrow();
  });
});
