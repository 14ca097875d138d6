/**
 * --ingress-dir through the command line wiring: manifests become routes next to a routes file,
 * edits reach the proxy, a broken file keeps serving its last good objects and shows at
 * /routes?invalid, and the option conflicts are refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom } from '../../src/cli/main.js';
import { parseCommandLine } from '../../src/cli/options.js';
import { createSkiff, type Skiff } from '../../src/skiff.js';
import { silentLogger } from '../../src/log.js';
import { request } from '../helpers/http.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';

let dir: string;
let skiff: Skiff;
let echo: TestServer;

const manifests = (host: string, port: number): string => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, namespace: web}
spec:
  ingressClassName: internal
  rules:
    - host: ${host}
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: site, namespace: web}
spec: {ports: [{port: 80, targetPort: ${port}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: site-1, namespace: web, labels: {kubernetes.io/service-name: site}}
ports: [{port: ${port}}]
endpoints: [{addresses: ["127.0.0.1"]}]
`;

const url = (listener: string): string => `http://127.0.0.1:${skiff.addresses.get(listener)!.port}`;
const status = async (listener: string, host: string, path = '/'): Promise<number> => (await request(url(listener) + path, { headers: { host } })).status;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-cli-ingress-dir-'));
  echo = await startEcho('site');
  await writeFile(join(dir, 'site.yaml'), manifests('site.internal', echo.port));
  await writeFile(join(dir, 'routes.eskip'), 'shared: Path("/shared") -> inlineContent("shared") -> <shunt>;');
  const opts = parseCommandLine(
    ['--ingress-dir', dir, '--routes-file', join(dir, 'routes.eskip'), '--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--listener', 'internal=127.0.0.1:0=internal'],
    {},
  );
  skiff = createSkiff({ ...configFrom(opts, silentLogger), shutdownDeadlineMs: 2000 });
  await skiff.start();
});

afterAll(async () => {
  await skiff?.stop({ drainDelayMs: 0 });
  await echo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('--ingress-dir', () => {
  it('serves the manifests on the listener of their class, and the routes file on every listener', async () => {
    expect(await status('internal', 'site.internal')).toBe(200);
    expect(echo.received.at(-1)?.headers.host).toBe('site.internal');
    expect(await status('default', 'site.internal')).toBe(404);
    for (const l of ['default', 'internal']) expect((await request(url(l) + '/shared', { headers: { host: 'any' } })).text).toBe('shared');
    const ready = await fetch(`http://127.0.0.1:${skiff.supportAddress!.port}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('follows an edit, keeps the last good objects of a broken file and lists the error', async () => {
    await writeFile(join(dir, 'site.yaml'), manifests('site2.internal', echo.port));
    await until(async () => (await status('internal', 'site2.internal')) === 200, 'edited host served');
    expect(await status('internal', 'site.internal')).toBe(404);

    await writeFile(join(dir, 'site.yaml'), 'kind: Ingress\nmetadata: {name: [oops\n');
    const invalidUrl = `http://127.0.0.1:${skiff.supportAddress!.port}/routes?invalid&listener=internal`;
    await until(async () => (await (await fetch(invalidUrl)).text()).includes('SKIFF_ERR_PARSE'), 'parse error listed');
    expect(await (await fetch(invalidUrl)).text()).toMatch(/^\/\/ site\.yaml: \[SKIFF_ERR_PARSE\] site\.yaml: document 1: /m);
    expect(await status('internal', 'site2.internal')).toBe(200);
  });
});

describe('--ingress-dir with an Ingress whose fields have the wrong YAML types', () => {
  it('sets that Ingress aside with the field named and serves the others', async () => {
    // an unquoted JSON annotation is a YAML mapping, not the string the API would hold
    await writeFile(
      join(dir, 'typed.yaml'),
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: typed
  namespace: web
  annotations:
    zalando.org/backend-weights: {"site": 100}
spec:
  ingressClassName: internal
  rules:
    - host: typed.internal
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}
`,
    );
    await writeFile(join(dir, 'site.yaml'), manifests('site3.internal', echo.port));
    await until(async () => (await status('internal', 'site3.internal')) === 200, 'the good Ingress served');
    const invalidUrl = `http://127.0.0.1:${skiff.supportAddress!.port}/routes?invalid&listener=internal`;
    await until(async () => (await (await fetch(invalidUrl)).text()).includes('web/typed'), 'the typed Ingress listed');
    expect(await (await fetch(invalidUrl)).text()).toContain(
      '[SKIFF_ERR_INVALID_INGRESS] annotation zalando.org/backend-weights is not a string (in YAML, quote the value)',
    );
    expect(await status('internal', 'typed.internal')).toBe(404);
    await rm(join(dir, 'typed.yaml'));
  });
});

describe('command line checks', () => {
  it('refuses --ingress-dir together with --kubernetes', () => {
    const opts = parseCommandLine(['--ingress-dir', '/tmp', '--kubernetes'], {});
    expect(() => configFrom(opts, silentLogger)).toThrow(/--ingress-dir and --kubernetes cannot be combined/);
  });

  it('refuses a listener name given twice', () => {
    const opts = parseCommandLine(['--ingress-dir', '/tmp', '--listener', 'a=127.0.0.1:0=x', '--listener', 'a=127.0.0.1:0=y'], {});
    expect(() => configFrom(opts, silentLogger)).toThrow(/listener name is already taken/);
  });

  it('refuses to start without a route source', () => {
    expect(() => configFrom(parseCommandLine([], {}), silentLogger)).toThrow(/no route source/);
  });
});
