/**
 * The inputs and outputs of Ingress translation: a snapshot of the cluster objects, the options a
 * listener translates with, and the result (route definitions, what was set aside and why, which
 * Ingresses were served).
 */
import type { Call, RouteDefinition } from '../../eskip/definition.js';
import type { EndpointSlice, Ingress, IngressClass, Service } from '../objects.js';

export interface ClusterSnapshot {
  readonly ingresses: readonly Ingress[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly ingressClasses: readonly IngressClass[];
}

/**
 * How `ImplementationSpecific` paths become predicates (Skipper's `-kubernetes-path-mode`):
 * `kubernetes-ingress` → `PathRegexp("^(" + p + ")")`, `path-regexp` → `PathRegexp(p)`,
 * `path-prefix` → `PathSubtree(p)`.
 */
export type PathMode = 'kubernetes-ingress' | 'path-regexp' | 'path-prefix';

export const PATH_MODES: readonly PathMode[] = ['kubernetes-ingress', 'path-regexp', 'path-prefix'];

export interface TranslateOptions {
  /** The ingress classes served (by IngressClass name). Default `['skiff']`. */
  readonly ingressClasses?: readonly string[];
  /**
   * IngressClass `spec.controller` values that mean "this router". A default IngressClass with one
   * of these controllers is served even when its name is not listed. Default
   * `['zalando.org/skiff', 'zalando.org/skipper']`.
   */
  readonly controllers?: readonly string[];
  /** Accept Ingresses of the cluster's default IngressClass when its controller is ours. Default true. */
  readonly acceptDefaultClass?: boolean;
  /**
   * Serve Ingresses that name no class at all even when no served class is the cluster default
   * (Skipper's behaviour). Default false: class-less Ingresses belong to the default class.
   */
  readonly acceptClassless?: boolean;
  /** Default mode for `ImplementationSpecific` paths. Default `kubernetes-ingress`. */
  readonly pathMode?: PathMode;
  /** Emit the load balancer health-check route. Default true. */
  readonly healthcheck?: boolean;
  /** Source ranges allowed to reach the health-check route. Default: private and loopback ranges. */
  readonly healthcheckSources?: readonly string[];
  /** Emit the per-host 404 catch-all routes that keep one host's misses from falling into others' routes. Default true. */
  readonly catchAllRoutes?: boolean;
  /** Load-balancing algorithm when the Ingress names none. Default `roundRobin`. */
  readonly defaultLoadBalancer?: string;
  /**
   * Route to ExternalName Services (Skipper's `-enable-kubernetes-external-names`). Default false:
   * such a backend's path answers 404 and is reported in `skipped`.
   */
  readonly externalNames?: boolean;
  /** With externalNames: only names that match one of `allowedExternalNames` (Skipper's `-kubernetes-only-allowed-external-names`). */
  readonly onlyAllowedExternalNames?: boolean;
  /** Patterns for onlyAllowedExternalNames, unanchored like Skipper's (`-kubernetes-allowed-external-name`); text is compiled with the `u` flag. */
  readonly allowedExternalNames?: readonly (RegExp | string)[];
  /**
   * Filters placed first on every route to a Service, keyed `<service>.<namespace>` (the file names
   * of Skipper's `-default-filters-dir`).
   */
  readonly defaultFilters?: Readonly<Record<string, readonly Call[]>>;
}

/** A route (or a whole object) that was not translated, and why. */
export interface SkippedObject {
  /** The route id that was set aside, when one route (not the whole object) is concerned. */
  readonly id?: string;
  /** `namespace/name` of the Kubernetes object. */
  readonly object: string;
  /** The Kubernetes kind of the object (`Ingress`). */
  readonly kind: string;
  /** A stable code from src/errors.ts. */
  readonly code: string;
  readonly reason: string;
}

export interface IngressRef {
  readonly namespace: string;
  readonly name: string;
}

export interface TranslationResult {
  /** Sorted by id. */
  readonly routes: RouteDefinition[];
  /** Sorted by object, then id, then reason. */
  readonly skipped: SkippedObject[];
  /** The Ingresses of the served classes, sorted; their status gets this listener's address. */
  readonly served: IngressRef[];
}
