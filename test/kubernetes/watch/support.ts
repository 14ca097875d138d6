/**
 * Shared set-up for the watch tests: a fake API server, a client that reaches it through a
 * real kubeconfig file, fast retry settings, and polling until a condition holds.
 */

import { KubeApiClient } from '../../../src/kubernetes/client/api-client.js';
import { loadKubeConnection } from '../../../src/kubernetes/client/config.js';
import { silentKubeLogger } from '../../../src/kubernetes/client/logger.js';
import type { ReflectorTuning } from '../../../src/kubernetes/watch/reflector.js';
import { FakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';
import type { FakeApiServerOptions, FakeObject, KubeconfigFile } from '../../helpers/fake-apiserver.js';

export const fastTuning: ReflectorTuning = {
  backoff: { initialMs: 20, maxMs: 100 },
  watchTimeoutSeconds: { min: 30, max: 30 },
  minWatchIntervalMs: 10,
  quickCloseMs: 50,
  healthyAfterMs: 5_000,
};

export const quiet = silentKubeLogger;

export interface Harness {
  readonly fake: FakeApiServer;
  readonly client: KubeApiClient;
  readonly kubeconfig: KubeconfigFile;
  close(): Promise<void>;
}

export async function startHarness(options: FakeApiServerOptions = {}): Promise<Harness> {
  const fake = await FakeApiServer.start(options);
  const kubeconfig = await writeKubeconfig(fake.url, options.token ? { token: options.token } : {});
  const client = new KubeApiClient(loadKubeConnection({ kubeconfig: kubeconfig.path }), { requestTimeoutMs: 5_000 });
  return {
    fake,
    client,
    kubeconfig,
    async close() {
      await client.close();
      await fake.close();
      await kubeconfig.remove();
    },
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function ingress(namespace: string, name: string, host = `${name}.example.org`, extra: Partial<FakeObject> = {}): FakeObject {
  return {
    metadata: { namespace, name },
    spec: {
      ingressClassName: 'skiff',
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }],
    },
    ...extra,
  };
}

export function service(namespace: string, name: string): FakeObject {
  return { metadata: { namespace, name }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
}
