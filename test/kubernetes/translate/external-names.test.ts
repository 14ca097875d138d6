/**
 * ExternalName Services: off unless turned on (any namespace can point one at any name), then
 * optionally held to an allow-list, as Skipper's -enable-kubernetes-external-names,
 * -kubernetes-only-allowed-external-names and -kubernetes-allowed-external-name do. A path whose
 * name is refused answers 404 itself, so a wider route of the host never gets its requests.
 */
import { describe, expect, it } from 'vitest';
import { printRouteExpression } from '../../../src/eskip/printer.js';
import { ErrorCode } from '../../../src/errors.js';
import type { Ingress, Service } from '../../../src/kubernetes/objects.js';
import { ClusterTranslator, translate } from '../../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot, TranslateOptions, TranslationResult } from '../../../src/kubernetes/translate/index.js';
import { externalNamePolicy } from '../../../src/kubernetes/translate/services.js';

const base: TranslateOptions = { ingressClasses: ['skiff'], healthcheck: false };

function ingress(paths: readonly { path: string; service: string; port: number }[]): Ingress {
  return {
    metadata: { namespace: 'ns', name: 'app', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      ingressClassName: 'skiff',
      rules: [
        {
          host: 'app.example.org',
          http: { paths: paths.map((p) => ({ path: p.path, pathType: 'Prefix', backend: { service: { name: p.service, port: { number: p.port } } } })) },
        },
      ],
    },
  };
}

function external(name: string, externalName: string, port = 80): Service {
  return { metadata: { namespace: 'ns', name }, spec: { type: 'ExternalName', externalName, ports: [{ name: 'web', port }] } };
}

/** `/` goes to a pod, `/admin` to an ExternalName Service. */
function snapshot(externalName = 'admin.example.net', port = 80): ClusterSnapshot {
  return {
    ingresses: [
      ingress([
        { path: '/', service: 'web', port: 80 },
        { path: '/admin', service: 'admin', port },
      ]),
    ],
    services: [{ metadata: { namespace: 'ns', name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }, external('admin', externalName, port)],
    endpointSlices: [
      {
        metadata: { namespace: 'ns', name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
        ports: [{ name: 'http', port: 8080 }],
        endpoints: [{ addresses: ['10.0.0.1'] }],
      },
    ],
    ingressClasses: [],
  };
}

const ADMIN = 'kube_ns__app__app_example_org___admin__admin';

function adminRoute(result: TranslationResult): string {
  const route = result.routes.find((r) => r.id === ADMIN);
  expect(route, 'the /admin path keeps a route').toBeDefined();
  return printRouteExpression(route!);
}

function refusedEntries(result: TranslationResult): readonly { id?: string; code: string; reason: string }[] {
  return result.skipped.filter((s) => s.code === ErrorCode.ExternalNameNotAllowed);
}

describe('ExternalName Services, off by default', () => {
  it('gives the path a local 404, never the name, and reports it with its code', () => {
    const result = translate(snapshot(), base);
    const printed = adminRoute(result);
    expect(printed).toContain('PathSubtree("/admin")');
    expect(printed).toMatch(/-> <shunt>$/);
    expect(result.routes.some((r) => r.backend.type === 'network' && r.backend.address.includes('admin.example.net'))).toBe(false);
    expect(refusedEntries(result)).toEqual([
      {
        id: ADMIN,
        object: 'ns/app',
        kind: 'Ingress',
        code: 'SKIFF_ERR_EXTERNAL_NAME_NOT_ALLOWED',
        reason: 'ingress is not enabled to reference external name service ns/admin ("admin.example.net"): see --enable-kubernetes-external-names',
      },
    ]);
  });

  it('keeps the other paths of the Ingress as they are', () => {
    const result = translate(snapshot(), base);
    const root = result.routes.find((r) => r.id === 'kube_ns__app__app_example_org_____web');
    expect(root?.backend).toEqual({ type: 'network', address: 'http://10.0.0.1:8080' });
  });

  it('ignores an allow-list while off (Skipper: the toggle comes first)', () => {
    const result = translate(snapshot(), { ...base, onlyAllowedExternalNames: true, allowedExternalNames: ['^admin[.]example[.]net$'] });
    expect(adminRoute(result)).toMatch(/-> <shunt>$/);
    expect(refusedEntries(result)).toHaveLength(1);
  });
});

describe('ExternalName Services, on', () => {
  const on: TranslateOptions = { ...base, externalNames: true };

  it('routes to the name on the Service port, with the name as Host', () => {
    const result = translate(snapshot(), on);
    expect(adminRoute(result)).toMatch(/PathSubtree\("\/admin"\) -> setRequestHeader\("Host", "admin.example.net"\) -> "http:\/\/admin.example.net:80"$/);
    expect(refusedEntries(result)).toEqual([]);
  });

  it('speaks https to port 443 without any annotation', () => {
    const result = translate(snapshot('admin.example.net', 443), on);
    expect(adminRoute(result)).toMatch(/-> setRequestHeader\("Host", "admin.example.net"\) -> "https:\/\/admin.example.net:443"$/);
  });

  it('dials the target port when the Service gives one, as Skipper does', () => {
    const snap = snapshot();
    const svc: Service = { metadata: { namespace: 'ns', name: 'admin' }, spec: { type: 'ExternalName', externalName: 'admin.example.net', ports: [{ name: 'web', port: 80, targetPort: 443 }] } };
    const result = translate({ ...snap, services: [snap.services[0]!, svc] }, on);
    expect(adminRoute(result)).toMatch(/"https:\/\/admin.example.net:443"$/);
  });

  it('accepts any name without -only-allowed, whatever patterns are given', () => {
    const result = translate(snapshot(), { ...on, allowedExternalNames: ['^nothing$'] });
    expect(adminRoute(result)).toMatch(/"http:\/\/admin.example.net:80"$/);
  });
});

describe('ExternalName Services, allow-list', () => {
  const listed: TranslateOptions = { ...base, externalNames: true, onlyAllowedExternalNames: true };

  it('routes a name one pattern matches', () => {
    const result = translate(snapshot(), { ...listed, allowedExternalNames: ['^other[.]example$', /^admin[.]example[.]net$/] });
    expect(adminRoute(result)).toMatch(/"http:\/\/admin.example.net:80"$/);
  });

  it('answers 404 for a name no pattern matches, and reports it', () => {
    const result = translate(snapshot('evil.example.com'), { ...listed, allowedExternalNames: ['^admin[.]example[.]net$'] });
    expect(adminRoute(result)).toMatch(/PathSubtree\("\/admin"\) -> <shunt>$/);
    expect(refusedEntries(result).map((s) => s.reason)).toEqual([
      'ingress with not allowed external name service ns/admin: "evil.example.com" matches no --kubernetes-allowed-external-name',
    ]);
  });

  it('allows nothing when no pattern is given', () => {
    const result = translate(snapshot(), listed);
    expect(adminRoute(result)).toMatch(/-> <shunt>$/);
    expect(refusedEntries(result)).toHaveLength(1);
  });

  it('matches the lower-cased name, the one dialled', () => {
    const result = translate(snapshot('Admin.Example.NET'), { ...listed, allowedExternalNames: ['^admin[.]example[.]net$'] });
    expect(adminRoute(result)).toMatch(/"http:\/\/admin.example.net:80"$/);
  });

  it('a global pattern answers the same for every name (no lastIndex carried over)', () => {
    const policy = externalNamePolicy({ externalNames: true, onlyAllowedExternalNames: true, allowedExternalNames: [/example/g] });
    const p = policy.allowed![0]!;
    expect([p.test('a.example'), p.test('a.example'), p.test('a.example')]).toEqual([true, true, true]);
  });

  it('refuses a pattern that does not compile, with the option code', () => {
    expect(() => externalNamePolicy({ externalNames: true, onlyAllowedExternalNames: true, allowedExternalNames: ['a{1'] })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidOption }),
    );
  });
});

describe('ExternalName Services among weighted backends', () => {
  it('keep their share of a refused name at the path: those requests get 404, not the other backend', () => {
    const snap = snapshot();
    const weighted: Ingress = {
      ...snap.ingresses[0]!,
      metadata: { ...snap.ingresses[0]!.metadata, annotations: { 'zalando.org/backend-weights': '{"web": 50, "admin": 50}' } },
      spec: {
        ingressClassName: 'skiff',
        rules: [
          {
            host: 'app.example.org',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'admin', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    };
    const result = translate({ ...snap, ingresses: [weighted] }, base);
    const routes = result.routes.filter((r) => r.id.startsWith('kube_ns__app__'));
    expect(routes.map((r) => [r.id, r.backend.type])).toEqual([
      ['kube_ns__app__app_example_org_____admin', 'shunt'],
      ['kube_ns__app__app_example_org_____web', 'network'],
    ]);
    // web draws its half with Traffic(0.5); the refused half is what is left, answered 404
    expect(printRouteExpression(routes[1]!)).toContain('Traffic(0.5)');
    expect(printRouteExpression(routes[0]!)).toBe('Host(/^(app[.]example[.]org[.]?(:[0-9]+)?)$/) && PathSubtree("/") -> <shunt>');
    expect(refusedEntries(result).map((s) => s.id)).toEqual(['kube_ns__app__app_example_org_____admin']);
  });
});

describe('ExternalName Services in a stream of snapshots', () => {
  it('reports the new name when a refused Service changes it', () => {
    const opts: TranslateOptions = { ...base, externalNames: true, onlyAllowedExternalNames: true, allowedExternalNames: ['^admin[.]example[.]net$'] };
    const t = new ClusterTranslator(opts);
    const first = snapshot('one.example.com');
    expect(refusedEntries(t.translate(first))[0]!.reason).toContain('"one.example.com"');
    const second = { ...first, services: [first.services[0]!, external('admin', 'two.example.com')] };
    const result = t.translate(second);
    expect(result).toEqual(translate(second, opts));
    expect(refusedEntries(result)[0]!.reason).toContain('"two.example.com"');
    const third = { ...first, services: [first.services[0]!, external('admin', 'admin.example.net')] };
    expect(adminRoute(t.translate(third))).toMatch(/"http:\/\/admin.example.net:80"$/);
  });
});
