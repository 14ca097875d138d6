/**
 * Ingresses whose fields have the wrong types (as YAML manifests can hold them; the API server
 * would refuse them): each is set aside with the field named, the others are translated, and no
 * shape at all makes the translation throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../../src/kubernetes/objects.js';
import { translate } from '../../../src/kubernetes/translate/index.js';
import { ingressShapeProblem } from '../../../src/kubernetes/translate/shape.js';
import { ingressClassOf } from '../../../src/kubernetes/translate/classes.js';

const good = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, unknown>): Ingress =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', ...(annotations === undefined ? {} : { annotations }) },
    spec: {
      ingressClassName: 'skiff',
      rules: [{ host: `${name}.example`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      ...spec,
    },
  }) as unknown as Ingress;

const snapshot = (ingresses: Ingress[]) => ({ ingresses, services: [], endpointSlices: [], ingressClasses: [] });

describe('ingressShapeProblem', () => {
  it.each([
    ['an annotation that is a mapping', good('a', {}, { 'zalando.org/backend-weights': { web: 100 } }), 'annotation zalando.org/backend-weights is not a string (in YAML, quote the value)'],
    ['an annotation that is a number', good('a', {}, { 'zalando.org/skipper-filter': 5 }), 'annotation zalando.org/skipper-filter is not a string (in YAML, quote the value)'],
    ['annotations that are a list', good('a', {}, ['x'] as unknown as Record<string, unknown>), 'metadata.annotations is not a mapping'],
    ['rules that are a mapping', good('a', { rules: { host: 'a' } }), 'spec.rules is not a list'],
    ['a numeric host', good('a', { rules: [{ host: 7 }] }), 'spec.rules[0].host is not a string'],
    ['paths that are a string', good('a', { rules: [{ http: { paths: '/' } }] }), 'spec.rules[0].http.paths is not a list'],
    ['a port number written as text', good('a', { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: '80' } } } }] } }] }), 'spec.rules[0].http.paths[0].backend: service.port.number is not a number'],
    ['a default backend without a service name', good('a', { defaultBackend: { service: { port: { number: 80 } } } }), 'spec.defaultBackend: service.name is not a string'],
  ])('names %s', (_what, ingress, reason) => {
    expect(ingressShapeProblem(ingress)).toBe(reason);
    const result = translate(snapshot([ingress, good('fine')]));
    expect(result.skipped).toContainEqual({ object: 'default/a', kind: 'Ingress', code: 'SKIFF_ERR_INVALID_INGRESS', reason });
    expect(result.routes.some((r) => r.id.includes('fine'))).toBe(true);
    expect(result.routes.some((r) => r.id.includes('default_a_'))).toBe(false);
  });

  it('reads a class that is not a string as no class: not served, and the others are', () => {
    const numeric = good('a', { ingressClassName: 5 });
    expect(ingressShapeProblem(numeric)).toBe('spec.ingressClassName is not a string');
    const result = translate(snapshot([numeric, good('fine')]));
    expect(result.served.map((r) => r.name)).toEqual(['fine']);
    // served through the class annotation, it is set aside for the field
    const annotated = good('b', { ingressClassName: 5 }, { 'kubernetes.io/ingress.class': 'skiff' });
    expect(translate(snapshot([annotated])).skipped).toContainEqual({ object: 'default/b', kind: 'Ingress', code: 'SKIFF_ERR_INVALID_INGRESS', reason: 'spec.ingressClassName is not a string' });
  });

  it('finds nothing wrong with the shapes the API defines', () => {
    expect(ingressShapeProblem(good('a', {}, { 'zalando.org/backend-weights': '{"web": 100}' }))).toBeNull();
    expect(ingressShapeProblem(good('a', { defaultBackend: { resource: { kind: 'Bucket', name: 'b' } } }))).toBeNull();
    expect(ingressShapeProblem({ metadata: { name: 'bare' } } as unknown as Ingress)).toBeNull();
  });

  it('never lets any shape below the top-level keys make the translation throw, and names the field of each served one it sets aside', () => {
    const any = fc.anything({ maxDepth: 3 });
    const port = fc.oneof(any, fc.record({ number: any, name: any }, { requiredKeys: [] }));
    const backend = fc.oneof(any, fc.record({ service: fc.oneof(any, fc.record({ name: any, port }, { requiredKeys: [] })) }, { requiredKeys: [] }));
    const path = fc.oneof(any, fc.record({ path: any, pathType: any, backend }, { requiredKeys: [] }));
    const rule = fc.oneof(any, fc.record({ host: any, http: fc.oneof(any, fc.record({ paths: fc.oneof(any, fc.array(path, { maxLength: 3 })) }, { requiredKeys: [] })) }, { requiredKeys: [] }));
    const ingress = fc.record({
      metadata: fc.record({ name: fc.string(), namespace: fc.constantFrom('default', 'a'), annotations: fc.oneof(any, fc.dictionary(fc.constantFrom('zalando.org/skipper-filter', 'zalando.org/backend-weights', 'zalando.org/skipper-routes', 'kubernetes.io/ingress.class'), any)) }, { requiredKeys: ['name'] }),
      spec: fc.oneof(any, fc.record({ ingressClassName: fc.oneof(fc.constant('skiff'), any), defaultBackend: backend, rules: fc.oneof(any, fc.array(rule, { maxLength: 3 })) }, { requiredKeys: [] })),
    });
    fc.assert(
      fc.property(fc.array(ingress, { maxLength: 3 }), (ingresses) => {
        const result = translate(snapshot(ingresses as unknown as Ingress[]));
        for (const ing of ingresses as unknown as Ingress[]) {
          const problem = ingressShapeProblem(ing);
          if (problem === null || ingressClassOf(ing) !== 'skiff') continue;
          expect(result.skipped).toContainEqual({ object: `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`, kind: 'Ingress', code: 'SKIFF_ERR_INVALID_INGRESS', reason: problem });
        }
      }),
      { numRuns: 1000 },
    );
  });
});
