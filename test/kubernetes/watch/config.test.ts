import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, SkiffError } from '../../../src/errors.js';
import { KubeApiClient } from '../../../src/kubernetes/client/api-client.js';
import { KubeApiError } from '../../../src/kubernetes/client/api-error.js';
import { loadKubeConnection } from '../../../src/kubernetes/client/config.js';
import { tokenFile } from '../../../src/kubernetes/client/credentials.js';
import { FakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';

const ENV_KEYS = ['KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
let savedEnv: Record<string, string | undefined> = {};
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
});

afterEach(async () => {
  for (const k of ENV_KEYS) {
    const v = savedEnv[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-config-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function fakeServer(token?: string): Promise<FakeApiServer> {
  const fake = await FakeApiServer.start(token ? { token } : {});
  cleanups.push(() => fake.close());
  return fake;
}

describe('loadKubeConnection', () => {
  it('reads --kubeconfig and reaches a plain-http server with its bearer token', async () => {
    const fake = await fakeServer('secret-token');
    fake.create('ingressclasses', { metadata: { name: 'skiff' } });
    const file = await writeKubeconfig(fake.url, { token: 'secret-token', namespace: 'team-a' });
    cleanups.push(() => file.remove());

    const connection = loadKubeConnection({ kubeconfig: file.path });
    expect(connection.source).toBe('kubeconfig');
    expect(connection.server).toBe(fake.url);
    expect(connection.namespace).toBe('team-a');
    expect(connection.credentials.kind).toBe('token');

    const client = new KubeApiClient(connection);
    cleanups.push(() => client.close());
    const list = await client.getJson<{ items: { metadata: { name: string } }[] }>('/apis/networking.k8s.io/v1/ingressclasses');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['skiff']);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer secret-token');
  });

  it('answers a rejected token with a KubeApiError carrying 401', async () => {
    const fake = await fakeServer('right');
    const file = await writeKubeconfig(fake.url, { token: 'wrong' });
    cleanups.push(() => file.remove());
    const client = new KubeApiClient(loadKubeConnection({ kubeconfig: file.path }));
    cleanups.push(() => client.close());
    const err = await client.getJson('/api/v1/services').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(401);
    expect((err as KubeApiError).reason).toBe('Unauthorized');
  });

  it('uses KUBECONFIG when no file is given', async () => {
    const file = await writeKubeconfig('http://127.0.0.1:6443/prefix/', { token: 't' });
    cleanups.push(() => file.remove());
    process.env['KUBECONFIG'] = file.path;
    process.env['KUBERNETES_SERVICE_HOST'] = '10.0.0.1';
    process.env['KUBERNETES_SERVICE_PORT'] = '443';
    const connection = loadKubeConnection();
    expect(connection.source).toBe('KUBECONFIG');
    // The path prefix of a server behind an API proxy is kept, without the trailing slash.
    expect(connection.server).toBe('http://127.0.0.1:6443/prefix');
  });

  it('reads the in-cluster service account and its CA', async () => {
    const root = await tempDir();
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), 'token-one\n');
    await writeFile(join(sa, 'ca.crt'), 'CA BYTES');
    await writeFile(join(sa, 'namespace'), 'skiff-system');
    process.env['KUBERNETES_SERVICE_HOST'] = '10.96.0.1';
    process.env['KUBERNETES_SERVICE_PORT'] = '443';

    const connection = loadKubeConnection({ inClusterRoot: root, tokenTtlMs: 0 });
    expect(connection.source).toBe('in-cluster');
    expect(connection.server).toBe('https://10.96.0.1');
    expect(connection.ca?.toString()).toBe('CA BYTES');
    expect(connection.rejectUnauthorized).toBe(true);
    expect(connection.namespace).toBe('skiff-system');
    expect(connection.credentials.kind).toBe('token-file');
    expect(await connection.credentials.authorization()).toBe('Bearer token-one');
    // A rotated (bound) token is picked up.
    await writeFile(join(sa, 'token'), 'token-two\n');
    expect(await connection.credentials.authorization()).toBe('Bearer token-two');
  });

  it('takes client certificates and skip-verify from the kubeconfig', async () => {
    const dir = await tempDir();
    const path = join(dir, 'config');
    await writeFile(join(dir, 'client.key'), 'KEY');
    await writeFile(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: c',
        '  cluster: { server: "https://api.example:6443", insecure-skip-tls-verify: true, tls-server-name: api.internal }',
        'users:',
        `- name: u`,
        `  user: { client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key: client.key }`,
        'contexts:',
        '- name: other',
        '  context: { cluster: c, user: u }',
        'current-context: missing',
      ].join('\n'),
    );
    const connection = loadKubeConnection({ kubeconfig: path, context: 'other' });
    expect(connection.cert?.toString()).toBe('CERT');
    // The key path is relative to the kubeconfig's folder.
    expect(connection.key?.toString()).toBe('KEY');
    expect(connection.rejectUnauthorized).toBe(false);
    expect(connection.servername).toBe('api.internal');
    expect(connection.credentials.kind).toBe('none');
  });

  it('reports unusable configuration as SkiffError InvalidOption', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'nope');
    expect(() => loadKubeConnection({ kubeconfig: missing })).toThrow(SkiffError);
    try {
      loadKubeConnection({ kubeconfig: missing });
    } catch (err) {
      expect((err as SkiffError).code).toBe(ErrorCode.InvalidOption);
    }
    const file = await writeKubeconfig('http://127.0.0.1:1');
    cleanups.push(() => file.remove());
    expect(() => loadKubeConnection({ kubeconfig: file.path, context: 'absent' })).toThrow(/context absent not found/);
  });
});

describe('tokenFile', () => {
  it('keeps a token for its TTL, then reads the file again', async () => {
    const dir = await tempDir();
    const path = join(dir, 'token');
    await writeFile(path, 'first');
    let now = 1_000;
    const creds = tokenFile(path, 60_000, () => now);
    expect(await creds.authorization()).toBe('Bearer first');
    await writeFile(path, 'second');
    now += 59_000;
    expect(await creds.authorization()).toBe('Bearer first');
    now += 1_000;
    expect(await creds.authorization()).toBe('Bearer second');
  });

  it('reads the file again after the server rejects the cached token', async () => {
    const fake = await fakeServer('fresh');
    const dir = await tempDir();
    const path = join(dir, 'token');
    await writeFile(path, 'stale');
    const file = await writeKubeconfig(fake.url);
    cleanups.push(() => file.remove());
    const connection = { ...loadKubeConnection({ kubeconfig: file.path }), credentials: tokenFile(path, 3_600_000) };
    const client = new KubeApiClient(connection);
    cleanups.push(() => client.close());

    await expect(client.getJson('/api/v1/services')).rejects.toMatchObject({ status: 401 });
    await writeFile(path, 'fresh');
    const list = await client.getJson<{ kind: string }>('/api/v1/services');
    expect(list.kind).toBe('ServiceList');
  });
});
