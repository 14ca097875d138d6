/**
 * Status addresses per listener, as the command line builds them, against the fake API server:
 * two listeners serving two classes each, each with two load balancer addresses of its own, and
 * the default listener falling back to --publish-status-address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom, loadKubernetesSource } from '../../../src/cli/main.js';
import { parseCommandLine } from '../../../src/cli/options.js';
import { createSkiff, type Skiff } from '../../../src/skiff.js';
import { silentLogger } from '../../../src/log.js';
import { FakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';
import type { KubeconfigFile } from '../../helpers/fake-apiserver.js';
import { eventually, expose, ingress, NS, rule, sleep, startPod } from './harness.js';
import type { Pod } from './harness.js';

let fake: FakeApiServer;
let kubeconfig: KubeconfigFile;
let skiff: Skiff;
let pod: Pod;

const EXTERNAL = [{ hostname: 'external-lb.example.org' }, { ip: '192.0.2.10' }];
const INTERNAL = [{ hostname: 'internal-lb.example.org' }, { ip: '10.0.5.6' }];
const FALLBACK = [{ hostname: 'default-lb.example.org' }];

/** Ingress name -> class. */
const classes: Record<string, string> = {
  'ext-a': 'external',
  'ext-b': 'public',
  'int-a': 'internal',
  'int-b': 'private',
  plain: 'skiff',
  nginx: 'nginx',
};

const statusOf = (name: string): unknown => (fake.get('ingresses', NS, name)?.['status'] as { loadBalancer?: { ingress?: unknown } } | undefined)?.loadBalancer?.ingress;

beforeAll(async () => {
  fake = await FakeApiServer.start();
  kubeconfig = await writeKubeconfig(fake.url);
  pod = await startPod('web');
  expose(fake, [pod]);
  for (const [name, cls] of Object.entries(classes)) {
    fake.create('ingresses', ingress(name, { rules: [rule(`${name}.example.org`, [['/', 'Prefix', 'web']])] }, { ingressClassName: cls }));
  }
  const opts = parseCommandLine(
    [
      '--kubernetes',
      '--kubeconfig', kubeconfig.path,
      '--address', '127.0.0.1:0',
      '--support-address', 'off',
      '--listener', 'external=127.0.0.1:0=external,public=external-lb.example.org,192.0.2.10',
      '--listener', 'internal=127.0.0.1:0=internal,private=internal-lb.example.org,10.0.5.6',
      '--publish-status-address', 'default-lb.example.org',
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
  await pod?.close();
});

describe('status addresses per listener', () => {
  it("writes each listener's own addresses on its Ingresses, and nothing else", async () => {
    const want: Record<string, unknown> = { 'ext-a': EXTERNAL, 'ext-b': EXTERNAL, 'int-a': INTERNAL, 'int-b': INTERNAL, plain: FALLBACK };
    await eventually(
      () => Object.entries(want).every(([name, lb]) => JSON.stringify(statusOf(name)) === JSON.stringify(lb)),
      'status of every served Ingress',
    );
    expect(statusOf('nginx')).toBeUndefined();
    // Once each: the writes coming back through the watch write nothing more.
    await sleep(300);
    expect(fake.statusPatches.map((p) => p.name).sort()).toEqual(['ext-a', 'ext-b', 'int-a', 'int-b', 'plain']);
    for (const p of fake.statusPatches) expect(p.body).toEqual({ status: { loadBalancer: { ingress: want[p.name] } } });
  });

  it('moves an Ingress to the other listener\'s addresses when its class changes', async () => {
    const before = fake.statusPatches.length;
    fake.update('ingresses', ingress('ext-b', { rules: [rule('ext-b.example.org', [['/', 'Prefix', 'web']])] }, { ingressClassName: 'private' }));
    await eventually(() => JSON.stringify(statusOf('ext-b')) === JSON.stringify(INTERNAL), 'ext-b published with the internal addresses');
    await sleep(300);
    expect(fake.statusPatches.slice(before).map((p) => p.name)).toEqual(['ext-b']);
    expect(statusOf('ext-a')).toEqual(EXTERNAL);
  });
});
