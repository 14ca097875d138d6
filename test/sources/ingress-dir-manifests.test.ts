import { describe, expect, it } from 'vitest';
import { mergeManifests, parseManifests } from '../../src/kubernetes/manifests.js';
import { SkiffError } from '../../src/errors.js';

const ingress = (name: string, namespace?: string): string => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  ingressClassName: skiff
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;

describe('parseManifests', () => {
  it('reads every document, keeps the four kinds and ignores the rest', () => {
    const text = [
      ingress('a', 'team'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team}\nspec: {ports: [{port: 80}]}',
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-1, namespace: team, labels: {kubernetes.io/service-name: web}}\nendpoints: [{addresses: ["10.0.0.1"]}]',
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: skiff}\nspec: {controller: zalando.org/skiff}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}',
      '',
    ].join('\n---\n');
    const parsed = parseManifests(text, 'all.yaml');
    expect(parsed.objects.ingresses.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['team/a']);
    expect(parsed.objects.services.map((s) => s.spec?.ports?.[0]?.port)).toEqual([80]);
    expect(parsed.objects.endpointSlices[0]?.endpoints?.[0]?.addresses).toEqual(['10.0.0.1']);
    expect(parsed.objects.ingressClasses.map((c) => c.metadata.name)).toEqual(['skiff']);
    expect(parsed.ignored).toBe(1);
    expect(parsed.problems).toEqual([]);
  });

  it('reads JSON, kind: List items, and typed lists whose items carry no kind', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1', namespace: 'n' } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'IngressList', items: [{ metadata: { name: 'i1', namespace: 'n' }, spec: {} }] },
      ],
    });
    const parsed = parseManifests(list, 'list.json');
    expect(parsed.objects.services.map((s) => s.metadata.name)).toEqual(['s1']);
    expect(parsed.objects.ingresses.map((i) => [i.kind, i.metadata.name])).toEqual([['Ingress', 'i1']]);
  });

  it('puts namespaced objects without a namespace in "default" and drops the namespace of an IngressClass', () => {
    const parsed = parseManifests(ingress('plain') + '---\nkind: IngressClass\nmetadata: {name: c, namespace: x}\n', 'f.yaml');
    expect(parsed.objects.ingresses[0]?.metadata.namespace).toBe('default');
    expect(parsed.objects.ingressClasses[0]?.metadata).toEqual({ name: 'c' });
  });

  it('reports objects without a name or of an old apiVersion, and keeps the others', () => {
    const text = [
      'kind: Ingress\nmetadata: {namespace: n}\nspec: {}',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old, namespace: n}\nspec: {backend: {serviceName: a, servicePort: 80}}',
      ingress('good', 'n'),
    ].join('\n---\n');
    const parsed = parseManifests(text, 'mixed.yaml');
    expect(parsed.objects.ingresses.map((i) => i.metadata.name)).toEqual(['good']);
    expect(parsed.problems.map((p) => [p.object, p.code, p.origin])).toEqual([
      ['Ingress in document 1', 'SKIFF_ERR_INVALID_INGRESS', 'mixed.yaml'],
      ['Ingress n/old', 'SKIFF_ERR_INVALID_INGRESS', 'mixed.yaml'],
    ]);
    expect(parsed.problems[1]?.reason).toMatch(/apiVersion extensions\/v1beta1/);
  });

  it('rejects the whole text when any document is not well-formed', () => {
    const text = ingress('a', 'n') + '---\nkind: Service\nmetadata: {name: [unclosed\n';
    expect(() => parseManifests(text, 'broken.yaml')).toThrow(SkiffError);
    try {
      parseManifests(text, 'broken.yaml');
    } catch (err) {
      expect((err as SkiffError).code).toBe('SKIFF_ERR_PARSE');
      expect((err as SkiffError).message).toMatch(/^broken\.yaml: document 2: /);
    }
  });
});

describe('mergeManifests', () => {
  it('sorts by namespace/name and keeps the first of two definitions of one object', () => {
    const a = parseManifests(ingress('z', 'b') + '---\n' + ingress('y', 'a'), 'a.yaml').objects;
    const b = parseManifests(ingress('z', 'b').replace('web', 'other'), 'b.yaml').objects;
    const { snapshot, problems } = mergeManifests([
      { origin: 'a.yaml', objects: a },
      { origin: 'b.yaml', objects: b },
    ]);
    expect(snapshot.ingresses.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['a/y', 'b/z']);
    expect(snapshot.ingresses[1]?.spec?.defaultBackend?.service?.name).toBe('web');
    expect(problems).toEqual([{ object: 'Ingress b/z', code: 'SKIFF_ERR_INVALID_INGRESS', reason: 'defined again; the definition in a.yaml is kept', origin: 'b.yaml' }]);
  });
});
