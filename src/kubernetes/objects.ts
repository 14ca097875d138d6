/**
 * The Kubernetes objects skiff reads, as plain data: the subset of Ingress (networking.k8s.io/v1),
 * IngressClass, Service and EndpointSlice (discovery.k8s.io/v1) that route translation uses.
 * Plain interfaces, not the client library's classes, so that translation stays pure and can be fed
 * straight from parsed YAML or JSON.
 */

export interface ObjectMeta {
  readonly name: string;
  /** Absent on cluster-scoped objects; treated as `default` on namespaced ones. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** RFC 3339, e.g. `2024-05-01T10:00:00Z`. Decides which of two overlapping Ingresses wins. */
  readonly creationTimestamp?: string | Date;
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface ServiceBackendPort {
  readonly name?: string;
  readonly number?: number;
}

export interface IngressServiceBackend {
  readonly name: string;
  readonly port?: ServiceBackendPort;
}

export interface TypedLocalObjectReference {
  readonly apiGroup?: string;
  readonly kind: string;
  readonly name: string;
}

/** Exactly one of `service` and `resource` is set on a valid backend. */
export interface IngressBackend {
  readonly service?: IngressServiceBackend;
  readonly resource?: TypedLocalObjectReference;
}

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface HTTPIngressPath {
  readonly path?: string;
  /** Required by the v1 API; an absent value is handled like ImplementationSpecific. */
  readonly pathType?: PathType | string;
  readonly backend: IngressBackend;
}

export interface IngressRule {
  readonly host?: string;
  readonly http?: { readonly paths?: readonly HTTPIngressPath[] };
}

export interface IngressTLS {
  readonly hosts?: readonly string[];
  readonly secretName?: string;
}

export interface IngressSpec {
  readonly ingressClassName?: string;
  readonly defaultBackend?: IngressBackend;
  readonly rules?: readonly IngressRule[];
  readonly tls?: readonly IngressTLS[];
}

export interface Ingress {
  readonly apiVersion?: string;
  readonly kind?: 'Ingress' | string;
  readonly metadata: ObjectMeta;
  readonly spec?: IngressSpec;
}

export interface IngressClass {
  readonly apiVersion?: string;
  readonly kind?: 'IngressClass' | string;
  readonly metadata: ObjectMeta;
  readonly spec?: {
    readonly controller?: string;
    readonly parameters?: {
      readonly apiGroup?: string;
      readonly kind: string;
      readonly name: string;
      readonly scope?: string;
      readonly namespace?: string;
    };
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly appProtocol?: string;
  readonly port: number;
  /** A number, or the name of a container port; absent means the same as `port`. */
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

export interface Service {
  readonly apiVersion?: string;
  readonly kind?: 'Service' | string;
  readonly metadata: ObjectMeta;
  readonly spec?: {
    readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;
    readonly externalName?: string;
    readonly clusterIP?: string;
    readonly ports?: readonly ServicePort[];
  };
}

export interface EndpointConditions {
  /** Absent means ready (the API's own reading of an unknown state). */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions?: EndpointConditions;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
}

export interface EndpointPort {
  /** The name of the Service port this port belongs to; empty or absent for an unnamed port. */
  readonly name?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

export interface EndpointSlice {
  readonly apiVersion?: string;
  readonly kind?: 'EndpointSlice' | string;
  readonly metadata: ObjectMeta;
  readonly addressType?: 'IPv4' | 'IPv6' | 'FQDN' | string;
  readonly endpoints?: readonly Endpoint[];
  readonly ports?: readonly EndpointPort[];
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** `namespace/name`, the way objects are named in logs, skipped entries and status updates. */
export function objectKey(meta: ObjectMeta): string {
  return `${meta.namespace ?? 'default'}/${meta.name}`;
}
