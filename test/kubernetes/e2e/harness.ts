/**
 * End-to-end set-up for the Kubernetes path: a fake API server, the real client and watch, the
 * Ingress route sources and skiff itself on loopback, plus echo "pods" that say which Service and
 * pod answered (as the conformance suite's echo server does) and builders for the objects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeApiClient } from '../../../src/kubernetes/client/api-client.js';
import { loadKubeConnection } from '../../../src/kubernetes/client/config.js';
import { silentKubeLogger } from '../../../src/kubernetes/client/logger.js';
import { ClusterWatch } from '../../../src/kubernetes/watch/cluster-watch.js';
import type { ClusterWatchOptions } from '../../../src/kubernetes/watch/cluster-watch.js';
import type { ReflectorTuning } from '../../../src/kubernetes/watch/reflector.js';
import { ApiSnapshotProvider } from '../../../src/kubernetes/source.js';
import { IngressStatusWriter } from '../../../src/kubernetes/status.js';
import { IngressRoutes } from '../../../src/sources/kubernetes.js';
import { createSkiff, type Skiff } from '../../../src/skiff.js';
import { silentLogger } from '../../../src/log.js';
import { FakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';
import type { FakeObject, KubeconfigFile } from '../../helpers/fake-apiserver.js';

export const fastTuning: ReflectorTuning = {
  backoff: { initialMs: 20, maxMs: 100 },
  watchTimeoutSeconds: { min: 30, max: 30 },
  minWatchIntervalMs: 10,
  quickCloseMs: 50,
  healthyAfterMs: 5_000,
};

export interface ClusterOptions {
  /** Listeners and the classes each serves; default one `default` listener for class `skiff`. */
  readonly listeners?: readonly { readonly name: string; readonly classes: readonly string[] }[];
  /** Publish this status address. */
  readonly statusAddress?: string;
  readonly watch?: Partial<Pick<ClusterWatchOptions, 'debounceMs' | 'maxWaitMs' | 'tuning'>>;
  readonly drainDelayMs?: number;
}

export interface Cluster {
  readonly fake: FakeApiServer;
  readonly skiff: Skiff;
  readonly watch: ClusterWatch;
  readonly supportUrl: string;
  /** Base URL of a listener's proxy port. */
  url(listener?: string): string;
  close(): Promise<void>;
}

/** Starts the fake API server, then skiff reading Ingresses from it; resolves when skiff serves. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const fake = await FakeApiServer.start();
  let kubeconfig: KubeconfigFile | undefined;
  try {
    kubeconfig = await writeKubeconfig(fake.url);
    const client = new KubeApiClient(loadKubeConnection({ kubeconfig: kubeconfig.path }), { requestTimeoutMs: 5_000 });
    const watch = new ClusterWatch({
      client,
      logger: silentKubeLogger,
      debounceMs: 20,
      maxWaitMs: 100,
      tuning: fastTuning,
      ...options.watch,
    });
    const status = options.statusAddress
      ? new IngressStatusWriter({ client, addresses: options.statusAddress, logger: silentKubeLogger })
      : undefined;
    const routes = new IngressRoutes(new ApiSnapshotProvider(watch, { client }), { ...(status ? { status } : {}) });
    const listeners = options.listeners ?? [{ name: 'default', classes: ['skiff'] }];
    const skiff = createSkiff({
      listeners: listeners.map((l) => ({ name: l.name, host: '127.0.0.1', port: 0, sources: [routes.sourceFor(l.name, l.classes)] })),
      support: { host: '127.0.0.1', port: 0 },
      log: silentLogger,
      shutdownDeadlineMs: 2_000,
      ...(options.drainDelayMs !== undefined ? { drainDelayMs: options.drainDelayMs } : {}),
    });
    await skiff.start();
    const kc = kubeconfig;
    return {
      fake,
      skiff,
      watch,
      supportUrl: `http://127.0.0.1:${skiff.supportAddress!.port}`,
      url(listener = listeners[0]!.name) {
        const a = skiff.addresses.get(listener);
        if (a === undefined) throw new Error(`no listener ${listener}`);
        return `http://127.0.0.1:${a.port}`;
      },
      async close() {
        await skiff.stop({ drainDelayMs: 0 });
        await fake.close();
        await kc.remove();
      },
    };
  } catch (err) {
    await fake.close();
    await kubeconfig?.remove();
    throw err;
  }
}

// ---- echo pods ----

export interface EchoReply {
  readonly service: string;
  readonly pod: string;
  readonly path: string;
  readonly host: string;
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface Pod {
  readonly service: string;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  hits: number;
  close(): Promise<void>;
}

function listenPod(service: string, name: string, address: string, port: number): Promise<Pod> {
  const pod = { service, name, address, port, hits: 0 } as Pod & { server: http.Server };
  const server = http.createServer((req, res) => {
    pod.hits++;
    req.resume();
    req.on('end', () => {
      const reply: EchoReply = { service, pod: name, path: req.url ?? '', host: req.headers.host ?? '', method: req.method ?? '', headers: req.headers };
      const body = JSON.stringify(reply);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve(
        Object.assign(pod, {
          port: bound,
          close: () =>
            new Promise<void>((r) => {
              server.closeAllConnections();
              server.close(() => r());
            }),
        }),
      );
    });
  });
}

/** One pod of a Service on 127.0.0.1 and an ephemeral port. */
export function startPod(service: string, name = `${service}-0`): Promise<Pod> {
  return listenPod(service, name, '127.0.0.1', 0);
}

/**
 * `count` pods of one Service on one port, as pods are: each on its own loopback address
 * (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127.0.0.0/8 to the loopback interface).
 */
export async function startPods(service: string, count: number, firstHost = 2): Promise<Pod[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = await listenPod(service, `${service}-0`, `127.0.0.${firstHost}`, 0);
    const pods = [first];
    try {
      for (let i = 1; i < count; i++) pods.push(await listenPod(service, `${service}-${i}`, `127.0.0.${firstHost + i}`, first.port));
      return pods;
    } catch {
      // The port was taken on another address: try another one.
      await Promise.all(pods.map((p) => p.close()));
    }
  }
  throw new Error('no port free on all the pod addresses');
}

// ---- objects ----

export const NS = 'conformance';

export function service(name: string, opts: { namespace?: string; port?: number; portName?: string; targetPort?: number } = {}): FakeObject {
  return {
    metadata: { namespace: opts.namespace ?? NS, name },
    spec: { type: 'NodePort', ports: [{ ...(opts.portName ? { name: opts.portName } : {}), port: opts.port ?? 8080, targetPort: opts.targetPort ?? 3000, protocol: 'TCP' }] },
  };
}

export function endpointSlice(
  serviceName: string,
  pods: readonly Pod[],
  opts: { namespace?: string; name?: string; portName?: string; notReady?: readonly string[] } = {},
): FakeObject {
  const port = pods[0]?.port ?? 1;
  return {
    metadata: { namespace: opts.namespace ?? NS, name: opts.name ?? `${serviceName}-slice`, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ ...(opts.portName ? { name: opts.portName } : {}), port, protocol: 'TCP' }],
    endpoints: pods.map((p) => ({ addresses: [p.address], conditions: { ready: !(opts.notReady ?? []).includes(p.name) }, targetRef: { kind: 'Pod', name: p.name } })),
  };
}

/** Service and EndpointSlice for the pods, created on the fake API server. */
export function expose(fake: FakeApiServer, pods: readonly Pod[], opts: { namespace?: string; port?: number; portName?: string } = {}): void {
  const name = pods[0]!.service;
  fake.create('services', service(name, opts));
  fake.create('endpointslices', endpointSlice(name, pods, opts));
}

export function ingress(name: string, spec: Record<string, unknown>, opts: { namespace?: string; annotations?: Record<string, string>; ingressClassName?: string | null } = {}): FakeObject {
  const cls = opts.ingressClassName === undefined ? 'skiff' : opts.ingressClassName;
  return {
    metadata: { namespace: opts.namespace ?? NS, name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: { ...(cls !== null ? { ingressClassName: cls } : {}), ...spec },
  };
}

export function backend(serviceName: string, port: number | string = 8080): Record<string, unknown> {
  return { service: { name: serviceName, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export function rule(host: string | undefined, paths: readonly (readonly [string, 'Exact' | 'Prefix' | 'ImplementationSpecific', string])[]): Record<string, unknown> {
  return {
    ...(host !== undefined ? { host } : {}),
    http: { paths: paths.map(([path, pathType, svc]) => ({ path, pathType, backend: backend(svc) })) },
  };
}

// ---- requests ----

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The echo pod's reply, when a pod answered. */
  readonly echo: EchoReply | undefined;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one request through skiff with the given Host header. */
export function send(base: string, host: string | undefined, path: string, method = 'GET'): Promise<Answer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method,
        agent,
        headers: { host: host ?? u.host, 'user-agent': 'Go-http-client/1.1' },
        timeout: 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let echo: EchoReply | undefined;
          if ((res.headers['content-type'] ?? '').startsWith('application/json')) {
            try {
              echo = JSON.parse(text) as EchoReply;
            } catch {
              echo = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, echo });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Who serves the request: the Service name, or the status code when no pod answered. */
export async function servedBy(base: string, host: string | undefined, path: string): Promise<string | number> {
  const a = await send(base, host, path);
  return a.echo?.service ?? a.status;
}

export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
