import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../src/kubernetes/objects.js';
import { naturalOrder, readyEndpoints, resolveServiceBackend, ServiceIndex } from '../../../src/kubernetes/translate/services.js';

const settings = { scheme: 'http', algorithm: 'roundRobin', externalNames: { enabled: true, allowed: null } };

function slice(name: string, service: string, ports: EndpointSlice['ports'], endpoints: EndpointSlice['endpoints']): EndpointSlice {
  return { metadata: { namespace: 'ns', name, labels: { 'kubernetes.io/service-name': service } }, ports, endpoints };
}

describe('readyEndpoints', () => {
  it('takes the slice port named like the Service port, and skips slices without it', () => {
    const slices = [
      slice('a', 'svc', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }], [{ addresses: ['10.0.0.1'] }]),
      slice('b', 'svc', [{ name: 'admin', port: 9000 }], [{ addresses: ['10.0.0.2'] }]),
    ];
    expect(readyEndpoints(slices, { name: 'http', port: 80, targetPort: 'web' }, 'http')).toEqual(['http://10.0.0.1:8080']);
    expect(readyEndpoints(slices, { name: 'admin', port: 90 }, 'https')).toEqual(['https://10.0.0.1:9000', 'https://10.0.0.2:9000']);
  });

  it('falls back to a numeric targetPort when a slice lists no ports', () => {
    const slices = [slice('a', 'svc', undefined, [{ addresses: ['10.0.0.1'] }])];
    expect(readyEndpoints(slices, { port: 80, targetPort: 8080 }, 'http')).toEqual(['http://10.0.0.1:8080']);
    expect(readyEndpoints(slices, { port: 80 }, 'http')).toEqual(['http://10.0.0.1:80']);
    expect(readyEndpoints(slices, { port: 80, targetPort: 'web' }, 'http')).toEqual([]);
  });
});

describe('naturalOrder', () => {
  it('orders digit runs by value', () => {
    expect(['http://10.0.0.10:80', 'http://10.0.0.9:80', 'http://10.0.0.1:80', 'http://9.0.0.1:80'].sort(naturalOrder)).toEqual([
      'http://9.0.0.1:80',
      'http://10.0.0.1:80',
      'http://10.0.0.9:80',
      'http://10.0.0.10:80',
    ]);
  });
});

describe('resolveServiceBackend', () => {
  const service: Service = { metadata: { namespace: 'ns', name: 'svc' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };

  it('resolves a port-less reference when the Service has one port', () => {
    const index = new ServiceIndex([service], [slice('a', 'svc', [{ port: 8080 }], [{ addresses: ['10.0.0.1'] }])]);
    const r = resolveServiceBackend(index, 'ns', { name: 'svc' }, settings);
    expect(r).toEqual({ ok: true, value: { backend: { type: 'network', address: 'http://10.0.0.1:8080' }, filters: [], noEndpoints: false } });
  });

  it('does not look into another namespace', () => {
    const index = new ServiceIndex([service], []);
    expect(resolveServiceBackend(index, 'other', { name: 'svc', port: { number: 80 } }, settings)).toEqual({
      ok: false,
      reason: 'service other/svc not found',
    });
  });

  it('rejects an ExternalName that is not a host name', () => {
    const ext: Service = { metadata: { namespace: 'ns', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'evil.org/path?' } };
    const r = resolveServiceBackend(new ServiceIndex([ext], []), 'ns', { name: 'ext', port: { number: 80 } }, settings);
    expect(r.ok).toBe(false);
  });
});
