/**
 * Kubernetes manifests as text (YAML or JSON, several documents per file, `kind: List` and
 * `<Kind>List` items) read into the objects route translation uses, and many files merged into
 * one cluster snapshot. Ingress, Service, EndpointSlice and IngressClass are kept; every other
 * kind is ignored. A syntax error rejects the whole text; a bad object is reported and left out.
 */
import { parseAllDocuments } from 'yaml';
import { ErrorCode, SkiffError } from '../errors.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from './objects.js';
import type { ClusterSnapshot } from './translate/types.js';

export type ManifestKind = 'Ingress' | 'Service' | 'EndpointSlice' | 'IngressClass';

export interface ManifestObjects {
  readonly ingresses: Ingress[];
  readonly services: Service[];
  readonly endpointSlices: EndpointSlice[];
  readonly ingressClasses: IngressClass[];
}

/** An object that was left out, and why. */
export interface ManifestProblem {
  /** `Kind namespace/name` when the object could be named, else `document N`. */
  readonly object: string;
  readonly code: string;
  readonly reason: string;
  /** The file (or other origin) the object came from. */
  readonly origin: string;
}

export interface ParsedManifests {
  readonly objects: ManifestObjects;
  readonly problems: ManifestProblem[];
  /** Objects of kinds skiff does not read. */
  readonly ignored: number;
}

interface KindInfo {
  readonly list: keyof ManifestObjects;
  readonly namespaced: boolean;
  /** API groups whose schema for this kind is the one translation reads. */
  readonly apiVersions: readonly string[];
}

const KINDS: Readonly<Record<ManifestKind, KindInfo>> = {
  // networking.k8s.io/v1beta1 and extensions/v1beta1 Ingresses have another backend shape.
  Ingress: { list: 'ingresses', namespaced: true, apiVersions: ['networking.k8s.io/v1'] },
  Service: { list: 'services', namespaced: true, apiVersions: ['v1'] },
  EndpointSlice: { list: 'endpointSlices', namespaced: true, apiVersions: ['discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1'] },
  IngressClass: { list: 'ingressClasses', namespaced: false, apiVersions: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'] },
};

export function emptyManifestObjects(): ManifestObjects {
  return { ingresses: [], services: [], endpointSlices: [], ingressClasses: [] };
}

/**
 * Reads every document of the text. Throws SkiffError (ErrorCode.Parse) when any document is not
 * well-formed YAML or JSON, so that a half-written file never replaces a good one.
 */
export function parseManifests(text: string, origin: string): ParsedManifests {
  const objects = emptyManifestObjects();
  const problems: ManifestProblem[] = [];
  let ignored = 0;
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { objects, problems, ignored };
  docs.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error !== undefined) throw new SkiffError(ErrorCode.Parse, `${origin}: document ${i + 1}: ${error.message.split('\n')[0]}`);
  });
  const add = (value: unknown, where: string, listKind: string | undefined): void => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ object: where, code: ErrorCode.InvalidIngress, reason: 'not a Kubernetes object (expected a mapping)', origin });
      return;
    }
    const obj = value as Record<string, unknown>;
    const kind = typeof obj['kind'] === 'string' ? obj['kind'] : listKind;
    if (kind === 'List' || (kind !== undefined && kind.endsWith('List') && Array.isArray(obj['items']))) {
      const items = obj['items'];
      if (!Array.isArray(items)) {
        problems.push({ object: where, code: ErrorCode.InvalidIngress, reason: `${kind} without items`, origin });
        return;
      }
      // A typed list (IngressList) as the API returns it: its items carry no kind of their own.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      items.forEach((item, j) => add(item, `${where} item ${j + 1}`, itemKind));
      return;
    }
    if (kind === undefined || !Object.hasOwn(KINDS, kind)) {
      ignored++;
      return;
    }
    const checked = checkObject(obj, kind as ManifestKind, where, origin);
    if ('problem' in checked) problems.push(checked.problem);
    else (objects[KINDS[kind as ManifestKind].list] as unknown[]).push(checked.object);
  };
  docs.forEach((doc, i) => add(doc.toJS(), `document ${i + 1}`, undefined));
  return { objects, problems, ignored };
}

function checkObject(obj: Record<string, unknown>, kind: ManifestKind, where: string, origin: string): { object: object } | { problem: ManifestProblem } {
  const info = KINDS[kind];
  const meta = obj['metadata'];
  const name = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['name'] : undefined;
  if (typeof name !== 'string' || name.trim() === '') {
    return { problem: { object: `${kind} in ${where}`, code: ErrorCode.InvalidIngress, reason: 'metadata.name is missing', origin } };
  }
  const metadata = meta as Record<string, unknown>;
  const namespace = typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : 'default';
  const label = info.namespaced ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
  const apiVersion = obj['apiVersion'];
  if (apiVersion !== undefined && (typeof apiVersion !== 'string' || !info.apiVersions.includes(apiVersion))) {
    return {
      problem: { object: label, code: ErrorCode.InvalidIngress, reason: `apiVersion ${String(apiVersion)} is not read (expected ${info.apiVersions.join(' or ')})`, origin },
    };
  }
  const spec = obj['spec'];
  if (spec !== undefined && spec !== null && (typeof spec !== 'object' || Array.isArray(spec))) {
    return { problem: { object: label, code: ErrorCode.InvalidIngress, reason: 'spec is not a mapping', origin } };
  }
  // As the API server would: a namespaced object written without a namespace lands in `default`.
  const fixedMeta = info.namespaced ? { ...metadata, namespace } : (({ namespace: _ns, ...rest }) => rest)(metadata);
  return { object: { ...obj, kind, metadata: fixedMeta } };
}

/** One origin's objects, for {@link mergeManifests}. */
export interface ManifestPart {
  readonly origin: string;
  readonly objects: ManifestObjects;
}

/**
 * Merges the parts, in the order given, into a snapshot whose lists are sorted by namespace/name
 * (as the API watch gives them). An object defined twice keeps its first definition; the later
 * one is reported.
 */
export function mergeManifests(parts: readonly ManifestPart[]): { snapshot: ClusterSnapshot; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const merged = emptyManifestObjects();
  for (const kind of Object.keys(KINDS) as ManifestKind[]) {
    const list = KINDS[kind].list;
    const seen = new Map<string, string>();
    const out = merged[list] as { metadata: { namespace?: string; name: string } }[];
    for (const part of parts) {
      for (const obj of part.objects[list]) {
        const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({ object: `${kind} ${key}`, code: ErrorCode.InvalidIngress, reason: `defined again; the definition in ${first} is kept`, origin: part.origin });
          continue;
        }
        seen.set(key, part.origin);
        out.push(obj);
      }
    }
    out.sort(byNamespacedName);
  }
  return { snapshot: merged, problems };
}

function byNamespacedName(a: { metadata: { namespace?: string; name: string } }, b: { metadata: { namespace?: string; name: string } }): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
