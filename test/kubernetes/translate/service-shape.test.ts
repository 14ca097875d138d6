/**
 * A Service or EndpointSlice of a shape the API server would refuse (from a manifest file) makes
 * its backends fail with the field named, not with whatever the resolution trips over.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../src/kubernetes/objects.js';
import { resolveServiceBackend, ServiceIndex } from '../../../src/kubernetes/translate/services.js';
import { serviceShapeProblem } from '../../../src/kubernetes/translate/service-shape.js';

const settings = { scheme: 'http', algorithm: 'roundRobin', externalNames: { enabled: true, allowed: null } };
const meta = { namespace: 'ns', name: 'svc' };
const good: Service = { metadata: meta, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };

function slice(fields: Record<string, unknown>): EndpointSlice {
  return { metadata: { namespace: 'ns', name: 'svc-1', labels: { 'kubernetes.io/service-name': 'svc' } }, ...fields } as EndpointSlice;
}

const wrong = (v: unknown): never => v as never;

describe('serviceShapeProblem', () => {
  it('accepts what the API defines, absent fields included', () => {
    expect(serviceShapeProblem(good, [slice({ ports: [{ name: 'http', port: 8080 }], endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }] })])).toBeNull();
    expect(serviceShapeProblem({ metadata: meta }, [slice({})])).toBeNull();
    expect(serviceShapeProblem({ metadata: meta, spec: { ports: [{ port: 80, targetPort: 'web' }] } }, [])).toBeNull();
  });

  it.each([
    [{ metadata: meta, spec: wrong('ClusterIP') }, [], 'spec is not a mapping'],
    [{ metadata: meta, spec: { ports: wrong({ port: 80 }) } }, [], 'spec.ports is not a list'],
    [{ metadata: meta, spec: { ports: [wrong(80)] } }, [], 'spec.ports[0] is not a mapping'],
    [{ metadata: meta, spec: { ports: [{ port: wrong('80') }] } }, [], 'spec.ports[0].port is not a number'],
    [{ metadata: meta, spec: { ports: [{ port: 80, targetPort: wrong(true) }] } }, [], 'spec.ports[0].targetPort is neither a number nor a name'],
    [{ metadata: meta, spec: { type: wrong(3) } }, [], 'spec.type is not a string'],
    [good, [slice({ endpoints: [null] })], 'EndpointSlice svc-1: endpoints[0] is not a mapping'],
    [good, [slice({ endpoints: [{ addresses: '10.0.0.1' }] })], 'EndpointSlice svc-1: endpoints[0].addresses is not a list of strings'],
    [good, [slice({ endpoints: [{ addresses: [10] }] })], 'EndpointSlice svc-1: endpoints[0].addresses is not a list of strings'],
    [good, [slice({ endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'false' } }] })], 'EndpointSlice svc-1: endpoints[0].conditions.ready is not a boolean'],
    [good, [slice({ ports: [{ port: '8080' }] })], 'EndpointSlice svc-1: ports[0].port is not a number'],
    [good, [slice({ endpoints: { addresses: ['10.0.0.1'] } })], 'EndpointSlice svc-1: endpoints is not a list'],
  ] as [Service, EndpointSlice[], string][])('names the field: %#', (service, slices, problem) => {
    expect(serviceShapeProblem(service, slices)).toBe(problem);
  });
});

describe('resolution of a Service of a wrong shape', () => {
  it('fails with the field named where it used to report a missing port or throw', () => {
    const quoted: Service = { metadata: meta, spec: { ports: [{ port: wrong('80') }] } };
    expect(resolveServiceBackend(new ServiceIndex([quoted], []), 'ns', { name: 'svc', port: { number: 80 } }, settings)).toEqual({
      ok: false,
      reason: 'service ns/svc cannot be read: spec.ports[0].port is not a number',
    });
    const nullEndpoint = new ServiceIndex([good], [slice({ ports: [{ name: 'http', port: 8080 }], endpoints: [null] })]);
    expect(resolveServiceBackend(nullEndpoint, 'ns', { name: 'svc', port: { number: 80 } }, settings)).toEqual({
      ok: false,
      reason: 'service ns/svc cannot be read: EndpointSlice svc-1: endpoints[0] is not a mapping',
    });
  });
});
