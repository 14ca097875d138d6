/**
 * The kinds the router reads from the API and where their collections live, cluster-wide
 * or inside one namespace.
 */

export interface ResourceType {
  /** API group and version path: /api/v1 for the core group, /apis/GROUP/VERSION otherwise. */
  readonly apiPath: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const RESOURCES = {
  ingresses: { apiPath: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  services: { apiPath: '/api/v1', plural: 'services', namespaced: true },
  endpointSlices: { apiPath: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  ingressClasses: { apiPath: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false },
} as const satisfies Record<string, ResourceType>;

export type ResourceName = keyof typeof RESOURCES;

export const RESOURCE_NAMES: readonly ResourceName[] = ['ingresses', 'services', 'endpointSlices', 'ingressClasses'];

/** The collection path, in one namespace when given and the kind is namespaced. */
export function collectionPath(resource: ResourceType, namespace?: string): string {
  if (namespace && resource.namespaced) {
    return `${resource.apiPath}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  }
  return `${resource.apiPath}/${resource.plural}`;
}

/** The path of one object, optionally of a subresource such as status. */
export function objectPath(resource: ResourceType, namespace: string | undefined, name: string, subresource?: string): string {
  const base = `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}
