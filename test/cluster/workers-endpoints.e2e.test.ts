/**
 * `--workers 2 --ingress-dir`: an endpoint change reaches every worker. The primary sends the
 * workers only the definitions that changed (see src/cluster/route-delta.ts); each worker applies
 * them to the list it holds and serves the new endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { request } from '../helpers/http.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';

const built = skiffBuilt();

/** Two Ingresses, so that one endpoint change leaves most definitions alone. */
const manifests = (port: number): string =>
  ['a', 'b']
    .map(
      (name) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: web, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  ingressClassName: skiff
  rules:
    - host: ${name}.example.org
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: ${name}, port: {number: 80}}}}
          - {path: /api, pathType: Prefix, backend: {service: {name: ${name}, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: web}
spec: {ports: [{port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: web, labels: {kubernetes.io/service-name: ${name}}}
ports: [{port: ${name === 'a' ? port : 1}}]
endpoints: [{addresses: ["127.0.0.1"]}]
`,
    )
    .join('---\n');

let skiff: SkiffProcess;
let dir: string;
let one: TestServer;
let two: TestServer;

beforeAll(async () => {
  if (!built) return;
  one = await startEcho('one');
  two = await startEcho('two');
  dir = await mkdtemp(join(tmpdir(), 'skiff-workers-endpoints-'));
  await writeFile(join(dir, 'cluster.yaml'), manifests(one.port));
  skiff = await spawnSkiff(['--ingress-dir', dir, '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--workers', '2', '--log-level', 'info']);
}, 30_000);

afterAll(async () => {
  if (!built) return;
  await skiff.stop(10_000);
  await one.close();
  await two.close();
});

const backendOf = async (): Promise<string> => (JSON.parse((await request(`${skiff.url}/api`, { headers: { host: 'a.example.org' } })).text) as { backend: string }).backend;

describe.skipIf(!built)('--workers 2 with Ingress manifests', () => {
  it('moves every worker to a new endpoint', async () => {
    await waitFor(() => skiff.logs.filter((l) => l.msg === 'worker listening').length >= 2, 10_000, 'workers never listened');
    for (let i = 0; i < 10; i++) expect(await backendOf()).toBe('one');
    await writeFile(join(dir, 'cluster.yaml'), manifests(two.port));
    await waitFor(async () => (await backendOf()) === 'two', 10_000, 'the new endpoint was never served');
    // new connections spread over both workers: every one of them has the change
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 20; i++) expect(await backendOf()).toBe('two');
  });
});
