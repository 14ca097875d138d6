/**
 * The kustomize manifests under deploy/, rendered by `kubectl kustomize` and checked against what
 * skiff really does: RBAC limited to what the Kubernetes source reads and writes, probes on the
 * support port, container arguments the real command-line parser accepts, listener ports that
 * line up with container ports, Services and the ALBs' target groups, and shutdown timings that
 * let a router drain before the kubelet kills it and after the ALB has stopped sending.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../../src/cli/options.js';
import { clientIpPolicyFromFlags, TrustedProxyPolicy } from '../../src/proxy/client-ip.js';
import { HEALTHCHECK_PATH } from '../../src/kubernetes/translate/healthcheck.js';
import { repoRoot } from '../helpers/process.js';
import { exampleValues, fillPlaceholders, haveKubectl, one, parseObjects, placeholdersIn, render, renderText, renderWith, routerContainer, type K8sObject, type Loose } from './kustomize.js';

if (!haveKubectl) console.warn('test/deploy/manifests: skipped, kubectl is not installed (it renders the kustomizations)');

interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
}

/**
 * The router container and what its arguments mean to the real parser, with the overlay's
 * placeholders filled in as an operator would (the placeholders themselves are refused: see the
 * overlay's tests).
 */
function router(objects: K8sObject[]) {
  const ds = one(objects, 'DaemonSet', 'skiff');
  const pod = ds.spec.template;
  const container = routerContainer(objects);
  const args = (container.args as string[]).map(fillPlaceholders);
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

/**
 * Every way the rendering tells Prometheus where the routers are. Two at once (annotations the
 * kubernetes-pods or kubernetes-service-endpoints job reads, and a PodMonitor or ServiceMonitor)
 * scrape each router twice, and every sum in the dashboards and alerts doubles.
 */
function discoveries(objects: readonly K8sObject[]): string[] {
  const found: string[] = [];
  const ds = one(objects, 'DaemonSet', 'skiff');
  const scrapeAnnotations = (a: Record<string, string> | undefined): boolean => Object.keys(a ?? {}).some((k) => k.startsWith('prometheus.io/'));
  if (scrapeAnnotations(ds.spec.template.metadata.annotations)) found.push('pod annotations');
  for (const o of objects) {
    if (o.kind === 'Service' && scrapeAnnotations(o.metadata.annotations)) found.push(`Service/${o.metadata.name} annotations`);
    if (o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor') found.push(o.kind);
  }
  return found;
}

// --- checks shared by the base and the overlay ------------------------------------------------

/** `hostPorts`: whether the proxy ports are bound on the node too (the base) or not (pod IPs). */
function commonChecks(dir: string, hostPorts: boolean): void {
  const objects = haveKubectl ? render(dir) : [];

  it('renders every object once, namespaced ones in the skiff namespace', () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const k of ['Namespace/skiff', 'ServiceAccount/skiff', 'ClusterRole/skiff', 'ClusterRoleBinding/skiff', 'DaemonSet/skiff', 'PriorityClass/skiff-node-critical', 'IngressClass/external', 'IngressClass/internal']) {
      expect(kinds).toContain(k);
    }
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass', 'PriorityClass']);
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

  it(`gives the real parser container arguments it accepts, listeners on container ports${hostPorts ? ' and host ports' : ', no host ports'}`, () => {
    const { opts, ports, classesByPort } = router(objects);
    expect(classesByPort.get(9990)).toEqual(['external']);
    expect(classesByPort.get(9991)).toEqual(['internal']);
    for (const [port] of classesByPort) {
      const p = ports.find((x) => x.containerPort === port);
      expect(p, `container port ${port}`).toBeDefined();
      expect(p!.hostPort, `host port of ${port}`).toBe(hostPorts ? port : undefined);
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

  it(hostPorts ? 'rolls one node at a time without surge (the host ports allow no second pod)' : 'rolls one node at a time, the new router started before the old one goes', () => {
    const { ds } = router(objects);
    // a surge pod could not bind the host ports the old one still holds
    const bindsHostPorts = (ds.spec.template.spec.containers as Loose[]).some((c) => (c.ports as ContainerPort[]).some((p) => p.hostPort !== undefined));
    expect(bindsHostPorts).toBe(hostPorts);
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: hostPorts ? { maxUnavailable: 1, maxSurge: 0 } : { maxUnavailable: 0, maxSurge: 1 } });
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

  it('is found by Prometheus one way only: the pod annotations, on the support port', () => {
    const { pod, opts } = router(objects);
    expect(discoveries(objects)).toEqual(['pod annotations']);
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(opts.supportAddress!.port), 'prometheus.io/path': '/metrics' });
  });

  it('runs at a node-critical priority', () => {
    const { pod } = router(objects);
    const name = pod.spec.priorityClassName as string | undefined;
    expect(name, 'priorityClassName').toBeDefined();
    if (name === 'system-node-critical') return;
    // a class of its own: the highest value outside the system classes, never the default
    const pc = one(objects, 'PriorityClass', name!);
    expect(pc.value).toBe(1_000_000_000);
    expect((pc as Loose).globalDefault).toBe(false);
  });
}

describe.skipIf(!haveKubectl)('deploy/base', () => {
  commonChecks('base', true);

  it('trusts no proxy by default: without a known load balancer the peer is the client', () => {
    const { opts } = router(render('base'));
    expect(opts.trustedProxies).toEqual([]);
    expect(opts.trustedHops).toBeNull();
  });
});

describe.skipIf(!haveKubectl)('deploy/overlays/aws', () => {
  commonChecks('overlays/aws', false);
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

  it('enforces the Pod Security "restricted" level on its namespace, and the router meets it', () => {
    const ns = one(objects, 'Namespace', 'skiff');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const { pod } = router(objects);
    // what "baseline" and "restricted" refuse, as far as this pod could have it
    expect(pod.spec.hostNetwork ?? false).toBe(false);
    expect(pod.spec.hostPID ?? false).toBe(false);
    expect(pod.spec.volumes ?? []).toEqual([]);
    for (const c of pod.spec.containers as Loose[]) {
      for (const p of c.ports as ContainerPort[]) expect(p.hostPort, `${c.name} port ${p.containerPort}`).toBeUndefined();
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(pod.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
  });

  describe('placeholders', () => {
    const text = haveKubectl ? renderText('overlays/aws') : '';
    const placeholders = placeholdersIn(text);
    const doc = readFileSync(join(repoRoot, 'docs/operations.md'), 'utf8');
    const install = doc.slice(doc.indexOf('\n## Install\n'), doc.indexOf('\n## ', doc.indexOf('\n## Install\n') + 1));

    it('marks every value an operator must set with REPLACE_WITH_, and leaves no example value that would work', () => {
      expect(placeholders).toEqual([
        'REPLACE_WITH_ALB_SUBNET_CIDRS',
        'REPLACE_WITH_EXTERNAL_ALB_DNS_NAME',
        'REPLACE_WITH_EXTERNAL_CERTIFICATE_ARNS',
        'REPLACE_WITH_INTERNAL_ALB_DNS_NAME',
        'REPLACE_WITH_INTERNAL_CERTIFICATE_ARNS',
        'REPLACE_WITH_NODE_SUBNET_CIDR',
        'REPLACE_WITH_REGISTRY',
      ]);
      // values that look real: a private range that may well be the VPC's, names under example.*,
      // an account id in an ARN
      expect(text).not.toMatch(/\b(10\.\d+\.\d+\.\d+\/\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+\/\d+|192\.168\.\d+\.\d+\/\d+)\b/);
      expect(text).not.toMatch(/example\.(org|com|net)/);
      expect(text).not.toMatch(/arn:aws:/);
    });

    it('names every placeholder in the install steps of docs/operations.md', () => {
      expect(install.length).toBeGreaterThan(100);
      for (const p of placeholders) expect(install, p).toContain(`\`${p}\``);
    });

    it('makes a router from an unedited copy refuse to start', () => {
      const args = routerContainer(parseObjects(text)).args as string[];
      expect(() => parseCommandLine(args, {})).toThrow(/REPLACE_WITH_(EXTERNAL|INTERNAL)_ALB_DNS_NAME/);
      // with the addresses filled in, the trusted proxies are still refused at start-up
      const partly = args.map((a) => a.replace(/REPLACE_WITH_(EXTERNAL|INTERNAL)_ALB_DNS_NAME/, (p) => exampleValues[p]!));
      const opts = parseCommandLine(partly, {});
      expect(opts.trustedProxies).toEqual(['REPLACE_WITH_ALB_SUBNET_CIDRS']);
      expect(() => clientIpPolicyFromFlags(opts.trustedProxies, opts.trustedHops)).toThrow();
    });

    it('gives an image name no registry serves until the registry is set', () => {
      const image = routerContainer(parseObjects(text)).image as string;
      // an image reference is lower case: a runtime refuses this one (InvalidImageName)
      expect(image).toMatch(/^REPLACE_WITH_REGISTRY\/skiff:[0-9A-Za-z._-]+$/);
      expect(image).not.toBe(image.toLowerCase());
    });
  });

  describe('NetworkPolicy', () => {
    const policy = (): K8sObject => one(objects, 'NetworkPolicy', 'skiff');
    type Rule = { from?: Loose[]; ports?: { port: string | number; protocol?: string }[] };
    /** The sources allowed to a port: 'any' when a rule without `from` opens it. */
    const sourcesOf = (port: number): 'any' | Loose[] => {
      const r = router(objects);
      const rules = (policy().spec.ingress ?? []) as Rule[];
      const matching = rules.filter((rule) => rule.ports === undefined || rule.ports.some((p) => r.portNamed(p.port) === port));
      if (matching.some((rule) => rule.from === undefined || rule.from.length === 0)) return 'any';
      return matching.flatMap((rule) => rule.from!);
    };

    it('selects the router pods and governs their ingress only', () => {
      const { ds } = router(objects);
      expect(selectorMatches(policy().spec.podSelector.matchLabels, ds.spec.template.metadata.labels)).toBe(true);
      expect(policy().spec.policyTypes).toEqual(['Ingress']);
    });

    it('keeps both proxy ports open to the ALBs (their health checks included)', () => {
      expect(sourcesOf(9990)).toBe('any');
      expect(sourcesOf(9991)).toBe('any');
    });

    it('lets only the nodes (kubelet probes) and the Prometheus namespace reach the support port', () => {
      const { opts } = router(objects);
      const sources = sourcesOf(opts.supportAddress!.port);
      expect(sources).not.toBe('any');
      const list = sources as Loose[];
      expect(list).toHaveLength(2);
      const node = list.find((s) => s.ipBlock !== undefined);
      expect(node?.ipBlock).toEqual({ cidr: 'REPLACE_WITH_NODE_SUBNET_CIDR' });
      const prometheus = list.find((s) => s.namespaceSelector !== undefined);
      expect(prometheus?.podSelector).toBeUndefined();
      expect(Object.keys(prometheus?.namespaceSelector.matchLabels ?? {})).toEqual(['kubernetes.io/metadata.name']);
      // and no port besides the three is opened
      const r = router(objects);
      const opened = ((policy().spec.ingress ?? []) as Rule[]).flatMap((rule) => rule.ports!.map((p) => r.portNamed(p.port)));
      expect(opened.sort()).toEqual([9911, 9990, 9991]);
    });
  });
});

describe.skipIf(!haveKubectl)('deploy/components/prometheus-operator, on the AWS overlay', () => {
  const objects = haveKubectl ? renderWith(['overlays/aws'], ['components/prometheus-operator']) : [];

  it('swaps the pod annotations for a PodMonitor: still one discovery mechanism', () => {
    expect(discoveries(objects)).toEqual(['PodMonitor']);
    const { ds, opts, portNamed } = router(objects);
    const pm = one(objects, 'PodMonitor', 'skiff');
    expect(pm.metadata.namespace).toBe('skiff');
    expect(selectorMatches(pm.spec.selector.matchLabels, ds.spec.template.metadata.labels)).toBe(true);
    expect(pm.spec.podMetricsEndpoints).toHaveLength(1);
    expect(portNamed(pm.spec.podMetricsEndpoints[0].port)).toBe(opts.supportAddress!.port);
    expect(pm.spec.podMetricsEndpoints[0].path).toBe('/metrics');
  });

  it('adds the alerting rules as a PrometheusRule, the same groups as deploy/monitoring/skiff-rules.yaml', () => {
    const rule = one(objects, 'PrometheusRule', 'skiff');
    expect(rule.metadata.namespace).toBe('skiff');
    const plain = parseObjects(readFileSync(join(repoRoot, 'deploy/monitoring/skiff-rules.yaml'), 'utf8'))[0] as unknown as { groups: unknown[] };
    expect(plain.groups.length).toBeGreaterThan(0);
    expect(rule.spec.groups).toEqual(plain.groups);
  });
});
