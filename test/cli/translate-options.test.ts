/**
 * The command line's ExternalName flags reach Ingress translation: parsed options in, a route to
 * the name (or a refused path) out.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { translateOptionsFrom } from '../../src/cli/translate-options.js';
import type { Ingress, Service } from '../../src/kubernetes/objects.js';
import { translate } from '../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot } from '../../src/kubernetes/translate/index.js';

const ingress: Ingress = {
  metadata: { namespace: 'ns', name: 'app' },
  spec: {
    ingressClassName: 'skiff',
    rules: [{ host: 'app.example.org', http: { paths: [{ path: '/docs', pathType: 'Prefix', backend: { service: { name: 'docs', port: { number: 443 } } } }] } }],
  },
};
const docs: Service = { metadata: { namespace: 'ns', name: 'docs' }, spec: { type: 'ExternalName', externalName: 'docs.example.net', ports: [{ port: 443 }] } };
const snapshot: ClusterSnapshot = { ingresses: [ingress], services: [docs], endpointSlices: [], ingressClasses: [] };

function docsBackend(argv: string[]): unknown {
  const options = { ...translateOptionsFrom(parseCommandLine(argv, {})), ingressClasses: ['skiff'], healthcheck: false };
  return translate(snapshot, options).routes.find((r) => r.id === 'kube_ns__app__app_example_org___docs__docs')?.backend;
}

describe('translateOptionsFrom: ExternalName flags', () => {
  it('refuses the name without --enable-kubernetes-external-names', () => {
    expect(docsBackend([])).toEqual({ type: 'shunt' });
  });

  it('routes to it with the flag, over https for port 443', () => {
    expect(docsBackend(['--enable-kubernetes-external-names'])).toEqual({ type: 'network', address: 'https://docs.example.net:443' });
  });

  it('holds it to the allow-list with --kubernetes-only-allowed-external-names', () => {
    const listed = ['--enable-kubernetes-external-names', '--kubernetes-only-allowed-external-names'];
    expect(docsBackend([...listed, '--kubernetes-allowed-external-name', '^api[.]example[.]net$'])).toEqual({ type: 'shunt' });
    expect(docsBackend([...listed, '--kubernetes-allowed-external-name', '^docs[.]example[.]net$'])).toEqual({ type: 'network', address: 'https://docs.example.net:443' });
  });
});
