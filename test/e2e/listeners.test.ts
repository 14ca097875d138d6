/**
 * The listener layout of the DaemonSet, with a real process: the default listener serves the
 * class "external", `--listener internal=...=internal` the class "internal", Ingresses read from
 * manifests as if from the API. An internal host must never answer on the external listener,
 * whatever Host a client sends, and that must hold however the IngressClasses are marked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { skiffBuilt, spawnSkiff, type SkiffProcess } from '../helpers/process.js';

const built = skiffBuilt();
if (!built) console.warn('test/e2e/listeners: skipped, dist/ is missing (run `npm run build`)');

function ingressClass(name: string, isDefault: boolean): string {
  const annotations = isDefault ? `\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"` : '';
  return `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}${annotations}
spec:
  controller: zalando.org/skiff
`;
}

function ingress(name: string, host: string, cls: string | null): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: apps
spec:
${cls === null ? '' : `  ingressClassName: ${cls}\n`}  rules:
    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app
                port:
                  number: 80
`;
}

function backendObjects(port: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: apps
spec:
  ports:
    - port: 80
      targetPort: ${port}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: app-local
  namespace: apps
  labels:
    kubernetes.io/service-name: app
addressType: IPv4
ports:
  - port: ${port}
endpoints:
  - addresses: ["127.0.0.1"]
    conditions:
      ready: true
`;
}

async function startLayout(backend: TestServer, defaultClass: 'internal' | null): Promise<SkiffProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-listeners-'));
  const docs = [
    ingressClass('external', false),
    ingressClass('internal', defaultClass === 'internal'),
    ingress('shop', 'shop.example.org', 'external'),
    ingress('payroll', 'payroll.corp.example.org', 'internal'),
    ingress('legacy', 'legacy.corp.example.org', null),
    backendObjects(backend.port),
  ];
  await writeFile(join(dir, 'objects.yaml'), docs.join('---\n'));
  return spawnSkiff([
    '--ingress-dir', dir,
    '--address', '127.0.0.1:0',
    '--ingress-class', 'external',
    '--listener', 'internal=127.0.0.1:0=internal',
    '--support-address', '127.0.0.1:0',
  ]);
}

async function status(skiff: SkiffProcess, listener: 'default' | 'internal', host: string): Promise<number> {
  const port = skiff.listeners.get(listener)!.port;
  return (await request(`http://127.0.0.1:${port}/`, { headers: { host } })).status;
}

describe.skipIf(!built)('external and internal listeners of one process', () => {
  let backend: TestServer;
  beforeAll(async () => {
    backend = await startServer((_req, res) => res.end('app'));
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('serves each class on its own listener only; class-less Ingresses nowhere while no class is the default', async () => {
    const skiff = await startLayout(backend, null);
    try {
      expect(await status(skiff, 'default', 'shop.example.org')).toBe(200);
      expect(await status(skiff, 'internal', 'shop.example.org')).toBe(404);
      expect(await status(skiff, 'internal', 'payroll.corp.example.org')).toBe(200);
      expect(await status(skiff, 'default', 'payroll.corp.example.org')).toBe(404);
      expect(await status(skiff, 'default', 'legacy.corp.example.org')).toBe(404);
      expect(await status(skiff, 'internal', 'legacy.corp.example.org')).toBe(404);
    } finally {
      await skiff.stop();
    }
  });

  it('keeps internal hosts off the external listener when "internal" is the cluster default class', async () => {
    const skiff = await startLayout(backend, 'internal');
    try {
      // class-less Ingresses belong to the default class, so the internal listener serves them
      expect(await status(skiff, 'internal', 'legacy.corp.example.org')).toBe(200);
      expect(await status(skiff, 'internal', 'payroll.corp.example.org')).toBe(200);
      expect(await status(skiff, 'default', 'shop.example.org')).toBe(200);
      // and the external listener serves neither
      expect(await status(skiff, 'default', 'payroll.corp.example.org')).toBe(404);
      expect(await status(skiff, 'default', 'legacy.corp.example.org')).toBe(404);
    } finally {
      await skiff.stop();
    }
  });
});
