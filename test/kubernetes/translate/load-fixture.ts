/**
 * Reads a translation fixture: a multi-document YAML file of Kubernetes objects becomes a cluster
 * snapshot, sorted by kind. Used by the golden runner and the matcher test.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ClusterSnapshot } from '../../../src/kubernetes/translate/index.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../../../src/kubernetes/objects.js';

export function loadSnapshot(file: string): ClusterSnapshot {
  const ingresses: Ingress[] = [];
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  const ingressClasses: IngressClass[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as { kind?: string } | null;
    if (obj === null) continue;
    switch (obj.kind) {
      case 'Ingress':
        ingresses.push(obj as Ingress);
        break;
      case 'Service':
        services.push(obj as Service);
        break;
      case 'EndpointSlice':
        endpointSlices.push(obj as EndpointSlice);
        break;
      case 'IngressClass':
        ingressClasses.push(obj as IngressClass);
        break;
      default:
        throw new Error(`${file}: unexpected kind ${String(obj.kind)}`);
    }
  }
  return { ingresses, services, endpointSlices, ingressClasses };
}
