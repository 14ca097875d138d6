/**
 * ExternalName Services through the command line and the proxy: an --ingress-dir manifest points
 * `/ext` at an ExternalName Service whose name is a loopback backend. Off (the default), `/ext`
 * answers 404 from skiff, reaching neither the name nor the host's `/` route, and the reason shows
 * at /routes?invalid; with --enable-kubernetes-external-names it is proxied, with the name as Host.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom } from '../../../src/cli/main.js';
import { parseCommandLine } from '../../../src/cli/options.js';
import { silentLogger } from '../../../src/log.js';
import { createSkiff, type Skiff } from '../../../src/skiff.js';
import { request } from '../../helpers/http.js';
import { startEcho, type TestServer } from '../../helpers/upstream.js';

const manifests = (sitePort: number, extPort: number): string => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app, namespace: web}
spec:
  ingressClassName: skiff
  rules:
    - host: app.test
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}
          - {path: /ext, pathType: Prefix, backend: {service: {name: ext, port: {number: ${extPort}}}}}
---
apiVersion: v1
kind: Service
metadata: {name: site, namespace: web}
spec: {ports: [{port: 80, targetPort: ${sitePort}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: site-1, namespace: web, labels: {kubernetes.io/service-name: site}}
ports: [{port: ${sitePort}}]
endpoints: [{addresses: ["127.0.0.1"]}]
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: web}
spec: {type: ExternalName, externalName: 127.0.0.1}
`;

let dir: string;
let site: TestServer;
let ext: TestServer;

async function startWith(flags: string[]): Promise<Skiff> {
  const opts = parseCommandLine(['--ingress-dir', dir, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', '1', ...flags], {});
  const skiff = createSkiff({ ...configFrom(opts, silentLogger), shutdownDeadlineMs: 2000 });
  await skiff.start();
  return skiff;
}

/** Waits (bounded) until the site's route answers, so the manifests are in the table. */
async function ready(skiff: Skiff): Promise<void> {
  const url = `http://127.0.0.1:${skiff.addresses.get('default')!.port}/`;
  const deadline = Date.now() + 5000;
  while ((await request(url, { headers: { host: 'app.test' } })).status !== 200) {
    if (Date.now() > deadline) throw new Error('the manifests never reached the route table');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-external-names-'));
  site = await startEcho('site');
  ext = await startEcho('ext');
  await writeFile(join(dir, 'app.yaml'), manifests(site.port, ext.port));
});

afterAll(async () => {
  await site?.close();
  await ext?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ExternalName Services end to end', () => {
  it('off by default: /ext answers 404 itself, reaching neither the name nor the / route, and is listed as invalid', async () => {
    const skiff = await startWith([]);
    try {
      await ready(skiff);
      const siteBefore = site.received.length;
      const reply = await request(`http://127.0.0.1:${skiff.addresses.get('default')!.port}/ext/page`, { headers: { host: 'app.test' } });
      expect(reply.status).toBe(404);
      expect(ext.received).toHaveLength(0);
      expect(site.received).toHaveLength(siteBefore);
      const invalid = await (await fetch(`http://127.0.0.1:${skiff.supportAddress!.port}/routes?invalid`)).text();
      expect(invalid).toContain('SKIFF_ERR_EXTERNAL_NAME_NOT_ALLOWED');
      expect(invalid).toContain('kube_web__app__app_test___ext__ext');
    } finally {
      await skiff.stop({ drainDelayMs: 0 });
    }
  });

  it('with --enable-kubernetes-external-names: /ext is proxied to the name, with the name as Host', async () => {
    const skiff = await startWith(['--enable-kubernetes-external-names']);
    try {
      await ready(skiff);
      const reply = await request(`http://127.0.0.1:${skiff.addresses.get('default')!.port}/ext/page`, { headers: { host: 'app.test' } });
      expect(reply.status).toBe(200);
      expect(ext.received.at(-1)?.url).toBe('/ext/page');
      expect(ext.received.at(-1)?.headers.host).toBe('127.0.0.1');
    } finally {
      await skiff.stop({ drainDelayMs: 0 });
    }
  });

  it('with an allow-list the name does not match: 404 again', async () => {
    const skiff = await startWith(['--enable-kubernetes-external-names', '--kubernetes-only-allowed-external-names', '--kubernetes-allowed-external-name', '^api[.]example[.]org$']);
    try {
      await ready(skiff);
      const before = ext.received.length;
      const reply = await request(`http://127.0.0.1:${skiff.addresses.get('default')!.port}/ext/page`, { headers: { host: 'app.test' } });
      expect(reply.status).toBe(404);
      expect(ext.received).toHaveLength(before);
    } finally {
      await skiff.stop({ drainDelayMs: 0 });
    }
  });
});
