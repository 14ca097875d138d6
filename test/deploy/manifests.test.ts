/**
 * The kustomize manifests under deploy/, rendered by `kubectl kustomize` and checked against what
 * skiff really does: RBAC limited to what the Kubernetes source reads and writes, probes on the
 * support port, container arguments the real command-line parser accepts, listener ports that
 * line up with container ports, Services and the ALBs' target groups, and shutdown timings that
 * let a router drain before the kubelet kills it and after the ALB has stopped sending.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseCommandLine } from '../../src/cli/options.js';
import { clientIpPolicyFromFlags, TrustedProxyPolicy } from '../../src/proxy/client-ip.js';
import { HEALTHCHECK_PATH } from '../../src/kubernetes/translate/healthcheck.js';

const deployDir = fileURLToPath(new URL('../../deploy', import.meta.url));
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = kubectl.status === 0;
if (!haveKubectl) console.warn('test/deploy/manifests: skipped, kubectl is not installed (it renders the kustomizations)');

// --- the rendered objects, loosely typed: the tests below check the shape they rely on ---------

/** Parsed YAML below `spec`: the assertions check its shape, the type does not. */
type Loose = any;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Loose;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

function render(dir: string): K8sObject[] {
  const out = spawnSync('kubectl', ['kustomize', `${deployDir}/${dir}`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl kustomize deploy/${dir} failed:\n${out.stderr}`);
  return parseAllDocuments(out.stdout).map((d) => d.toJS() as K8sObject);
}

function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name}`).toHaveLength(1);
  return found[0]!;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
}

/** The router container and what its arguments mean to the real parser. */
function router(objects: K8sObject[]) {
  const ds = one(objects, 'DaemonSet', 'skiff');
  const pod = ds.spec.template;
  const containers = pod.spec.containers as Loose[];
  expect(containers).toHaveLength(1);
  const container = containers[0];
  const args = container.args as string[];
  // an empty environment: what the pod sees has no SKIFF_* variables either
  const opts = parseCommandLine(args, {});
  const ports = container.ports as ContainerPort[];
  const portNamed = (name: string | number): number => {
    if (typeof name === 'number') return name;
    const p = ports.find((x) => x.name === name);
    if (p === undefined) throw new Error(`no container port named ${name}`);
    return p.containerPort;
  };
  /** Listener port -> the ingress classes served there. */
  const classesByPort = new Map<number, string[]>([
    [opts.address.port, opts.ingressClasses],
    ...opts.listeners.map((l) => [l.address.port, l.classes] as [number, string[]]),
  ]);
  return { ds, pod, container, args, opts, ports, portNamed, classesByPort };
}

/** `a=1,b=2` annotations of the AWS Load Balancer Controller as a map. */
function attributes(text: string | undefined): Map<string, string> {
  return new Map((text ?? '').split(',').filter((s) => s !== '').map((kv) => kv.split('=') as [string, string]));
}

const selectorMatches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

// --- checks shared by the base and the overlay ------------------------------------------------

function commonChecks(dir: string): void {
  const objects = haveKubectl ? render(dir) : [];

  it('renders every object once, namespaced ones in the skiff namespace', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const k of ['Namespace/skiff', 'ServiceAccount/skiff', 'ClusterRole/skiff', 'ClusterRoleBinding/skiff', 'DaemonSet/skiff', 'Service/skiff-metrics', 'IngressClass/external', 'IngressClass/internal']) {
      expect(kinds).toContain(k);
    }
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass']);
    for (const o of objects) {
      if (clusterScoped.has(o.kind)) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('skiff');
    }
  });

  it('grants exactly what the Kubernetes source uses: read four kinds, patch Ingress status', () => {
    const role = one(objects, 'ClusterRole', 'skiff');
    const granted = new Map<string, string[]>();
    for (const rule of role.rules!) {
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          const key = `${group}/${resource}`;
          expect(granted.has(key), `${key} granted twice`).toBe(false);
          granted.set(key, [...rule.verbs].sort());
        }
      }
    }
    const read = ['get', 'list', 'watch'];
    expect(Object.fromEntries(granted)).toEqual({
      'networking.k8s.io/ingresses': read,
      'networking.k8s.io/ingressclasses': read,
      '/services': read,
      'discovery.k8s.io/endpointslices': read,
      'networking.k8s.io/ingresses/status': ['patch'],
    });
    const binding = one(objects, 'ClusterRoleBinding', 'skiff');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'skiff' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'skiff', namespace: 'skiff' }]);
    expect(router(objects).pod.spec.serviceAccountName).toBe('skiff');
  });

  it('declares both ingress classes for the skiff controller, and each is served by a listener', () => {
    const { opts } = router(objects);
    const classes = objects.filter((o) => o.kind === 'IngressClass');
    expect(classes.map((c) => c.spec.controller)).toEqual(['zalando.org/skiff', 'zalando.org/skiff']);
    const served = [...opts.ingressClasses, ...opts.listeners.flatMap((l) => l.classes)].sort();
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(served);
    expect(served).toEqual(['external', 'internal']);
    expect(opts.kubernetes).toBe(true);
  });

  it('gives the real parser container arguments it accepts, listeners on container and host ports', () => {
    const { opts, ports, classesByPort } = router(objects);
    expect(classesByPort.get(9990)).toEqual(['external']);
    expect(classesByPort.get(9991)).toEqual(['internal']);
    for (const [port] of classesByPort) {
      const p = ports.find((x) => x.containerPort === port);
      expect(p, `container port ${port}`).toBeDefined();
      expect(p!.hostPort).toBe(port);
    }
    expect(opts.address.host).toBe('0.0.0.0');
    for (const l of opts.listeners) expect(l.address.host).toBe('0.0.0.0');
    expect(opts.supportAddress).toEqual({ host: '0.0.0.0', port: 9911 });
    // the support port is for the kubelet and Prometheus, never exposed on the node
    const support = ports.find((x) => x.containerPort === 9911);
    expect(support?.name).toBe('support');
    expect(support?.hostPort).toBeUndefined();
    expect(new Set(ports.map((p) => p.containerPort)).size).toBe(ports.length);
  });

  it('probes the support port: liveness on /healthz, readiness on /readyz', () => {
    const { container, portNamed, opts } = router(objects);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(portNamed(container.livenessProbe.httpGet.port)).toBe(opts.supportAddress!.port);
    expect(portNamed(container.readinessProbe.httpGet.port)).toBe(opts.supportAddress!.port);
  });

  it('leaves time to drain: drain delay and shutdown deadline end before the kubelet kills the pod', () => {
    const { pod, opts } = router(objects);
    const graceMs = (pod.spec.terminationGracePeriodSeconds as number) * 1000;
    expect(opts.drainDelayMs).toBeGreaterThanOrEqual(30_000);
    expect(opts.shutdownDeadlineMs).toBeGreaterThan(0);
    expect(opts.drainDelayMs).toBeLessThan(graceMs);
    // at least 5 s of margin for start of the handler and the final flush
    expect(opts.drainDelayMs + opts.shutdownDeadlineMs + 5000).toBeLessThanOrEqual(graceMs);
    // above an ALB's default idle timeout (60 s)
    expect(opts.keepAliveTimeoutMs).toBeGreaterThan(60_000);
  });

  it('rolls one node at a time without surge, and only counts a pod once it has been ready a while', () => {
    const { ds } = router(objects);
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.minReadySeconds).toBeGreaterThanOrEqual(20);
    expect(selectorMatches(ds.spec.selector.matchLabels, ds.spec.template.metadata.labels)).toBe(true);
  });

  it('runs locked down: non-root, read-only root filesystem, no capabilities, no privilege escalation', () => {
    const { pod, container } = router(objects);
    const podSec = pod.spec.securityContext;
    const sec = container.securityContext;
    expect(podSec.runAsNonRoot).toBe(true);
    expect(podSec.runAsUser).toBeGreaterThan(0);
    expect(podSec.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(sec).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(sec.privileged).not.toBe(true);
    expect(sec.capabilities.add).toBeUndefined();
    expect(pod.spec.hostNetwork).not.toBe(true);
    expect(container.image).not.toMatch(/:latest$/);
    expect(container.image).toMatch(/:[0-9A-Za-z._-]+$/);
  });

  it('sets requests and a memory limit, and a heap cap below it', () => {
    const { container } = router(objects);
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    const limit = container.resources.limits.memory as string;
    expect(limit).toMatch(/^[0-9]+Mi$/);
    const heap = /--max-old-space-size=([0-9]+)/.exec((container.env as { name: string; value: string }[]).find((e) => e.name === 'NODE_OPTIONS')?.value ?? '');
    expect(heap).not.toBeNull();
    expect(Number(heap![1])).toBeLessThan(parseInt(limit, 10));
  });

  it('is scraped by Prometheus on the support port, through the pods and the headless Service', () => {
    const { pod, opts, portNamed, ds } = router(objects);
    const supportPort = String(opts.supportAddress!.port);
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': supportPort, 'prometheus.io/path': '/metrics' });
    const svc = one(objects, 'Service', 'skiff-metrics');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': supportPort });
    expect(portNamed(svc.spec.ports[0].targetPort)).toBe(opts.supportAddress!.port);
    expect(selectorMatches(svc.spec.selector, ds.spec.template.metadata.labels)).toBe(true);
  });
}

describe.skipIf(!haveKubectl)('deploy/base', () => {
  commonChecks('base');

  it('trusts no proxy by default: without a known load balancer the peer is the client', () => {
    const { opts } = router(render('base'));
    expect(opts.trustedProxies).toEqual([]);
    expect(opts.trustedHops).toBeNull();
  });
});

describe.skipIf(!haveKubectl)('deploy/overlays/aws', () => {
  commonChecks('overlays/aws');
  const objects = haveKubectl ? render('overlays/aws') : [];

  it('believes X-Forwarded-For from the VPC only, one ALB hop deep, and publishes a status address', () => {
    const { opts } = router(objects);
    const policy = clientIpPolicyFromFlags(opts.trustedProxies, opts.trustedHops);
    expect(policy).toBeInstanceOf(TrustedProxyPolicy);
    expect((policy as TrustedProxyPolicy).hops).toBe(1);
    // an ALB node in the VPC speaks for the client; a peer outside is the client itself
    expect(policy.resolve('10.0.3.7', '198.51.100.7')).toBe('198.51.100.7');
    expect(policy.resolve('10.0.3.7', '203.0.113.1, 198.51.100.7')).toBe('198.51.100.7');
    expect(policy.resolve('192.0.2.44', '198.51.100.7')).toBe('192.0.2.44');
    expect(opts.publishStatusAddress).toMatch(/^[a-z0-9.-]+$/);
  });

  it('puts one ALB in front of each listener: internet-facing on the external class, internal on the internal class', () => {
    const r = router(objects);
    const albs = objects.filter((o) => o.kind === 'Ingress');
    expect(albs).toHaveLength(2);
    const byScheme = new Map(albs.map((a) => [a.metadata.annotations!['alb.ingress.kubernetes.io/scheme'] ?? '', a]));
    expect([...byScheme.keys()].sort()).toEqual(['internal', 'internet-facing']);
    const expectedClass: Record<string, string> = { 'internet-facing': 'external', internal: 'internal' };

    for (const [scheme, alb] of byScheme) {
      const a = alb.metadata.annotations!;
      expect(alb.spec.ingressClassName).toBe('alb');
      // skiff must never serve the ALB's own Ingress
      expect(r.classesByPort.get(9990)).not.toContain('alb');
      expect(r.classesByPort.get(9991)).not.toContain('alb');
      expect(a['alb.ingress.kubernetes.io/target-type']).toBe('ip');
      expect(a['alb.ingress.kubernetes.io/healthcheck-path']).toBe(HEALTHCHECK_PATH);
      expect(a['alb.ingress.kubernetes.io/healthcheck-port']).toBe('traffic-port');
      expect(a['alb.ingress.kubernetes.io/success-codes']).toBe('200');

      // ALB -> Service -> container port -> the listener of the expected class
      const backend = alb.spec.defaultBackend.service;
      const svc = one(objects, 'Service', backend.name);
      expect(selectorMatches(svc.spec.selector, r.ds.spec.template.metadata.labels)).toBe(true);
      const svcPort = (svc.spec.ports as { name: string; port: number; targetPort: string | number }[]).find((p) => p.name === backend.port.name);
      expect(svcPort, `${backend.name} port ${backend.port.name}`).toBeDefined();
      const target = r.portNamed(svcPort!.targetPort);
      expect(r.classesByPort.get(target), `${scheme} ALB -> port ${target}`).toEqual([expectedClass[scheme]]);
    }
  });

  it('keeps the ALB timings inside the drain: the ALB gives up on a draining router before it stops serving', () => {
    const { opts, pod } = router(objects);
    const graceMs = (pod.spec.terminationGracePeriodSeconds as number) * 1000;
    for (const alb of objects.filter((o) => o.kind === 'Ingress')) {
      const a = alb.metadata.annotations!;
      const interval = Number(a['alb.ingress.kubernetes.io/healthcheck-interval-seconds']) * 1000;
      const timeout = Number(a['alb.ingress.kubernetes.io/healthcheck-timeout-seconds']) * 1000;
      const unhealthy = Number(a['alb.ingress.kubernetes.io/unhealthy-threshold-count']);
      expect(interval).toBeGreaterThan(0);
      // the health check sees 503 from SIGTERM on; after this long the target is out
      const detectMs = interval * unhealthy + timeout;
      expect(opts.drainDelayMs - detectMs).toBeGreaterThanOrEqual(10_000);

      const tg = attributes(a['alb.ingress.kubernetes.io/target-group-attributes']);
      const deregistrationMs = Number(tg.get('deregistration_delay.timeout_seconds')) * 1000;
      expect(deregistrationMs).toBeGreaterThan(0);
      expect(deregistrationMs).toBeLessThan(graceMs);
      expect(deregistrationMs).toBeLessThanOrEqual(opts.drainDelayMs);

      const lb = attributes(a['alb.ingress.kubernetes.io/load-balancer-attributes']);
      // hop counting assumes the ALB appends the address it saw
      expect(lb.get('routing.http.xff_header_processing.mode')).toBe('append');
      expect(opts.keepAliveTimeoutMs).toBeGreaterThan(Number(lb.get('idle_timeout.timeout_seconds')) * 1000);
    }
  });

  it('holds a rollout until the new router is healthy in the target groups (pod readiness gates)', () => {
    const ns = one(objects, 'Namespace', 'skiff');
    expect(ns.metadata.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
  });
});
