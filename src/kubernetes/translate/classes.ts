/**
 * Ingress class selection: which class an Ingress asks for, and whether a listener serving a given
 * list of classes serves it. The deprecated `kubernetes.io/ingress.class` annotation is still
 * honoured and, when set, takes precedence over `spec.ingressClassName` (as the older API text said
 * it must, and as Contour does).
 */
import type { Ingress, IngressClass } from '../objects.js';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const DEFAULT_INGRESS_CLASS = 'skiff';
export const DEFAULT_CONTROLLERS: readonly string[] = ['zalando.org/skiff', 'zalando.org/skipper'];

export interface ClassSelection {
  /** The classes a listener serves, by IngressClass name. */
  readonly classes: readonly string[];
  /** The cluster's IngressClass objects (to find the default class and its controller). */
  readonly ingressClasses: readonly IngressClass[];
  /** Controller names that mean "this router". Default {@link DEFAULT_CONTROLLERS}. */
  readonly controllers?: readonly string[];
  /** Serve the cluster's default class when its controller is ours, even if not listed. Default true. */
  readonly acceptDefaultClass?: boolean;
  /** Serve class-less Ingresses regardless of the default class. Default false. */
  readonly acceptClassless?: boolean;
}

/** The class an Ingress names: the annotation if non-empty, else `spec.ingressClassName`; undefined for none. */
export function ingressClassOf(ingress: Ingress): string | undefined {
  // Manifest files can hold any YAML value here; one that is not a string names no class (and
  // the translation reports the field).
  const annotated = textOf(ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION]);
  if (annotated) return annotated;
  const field = textOf(ingress.spec?.ingressClassName);
  return field ? field : undefined;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function isDefaultIngressClass(ingressClass: IngressClass): boolean {
  return ingressClass.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION]?.trim().toLowerCase() === 'true';
}

/** Whether a listener with this class selection serves the Ingress. */
export function isIngressServed(ingress: Ingress, selection: ClassSelection): boolean {
  return createClassMatcher(selection)(ingress);
}

/**
 * Precomputes a selection into a predicate over Ingresses, for translating many at once.
 * A class is served when it is listed, or when it is the cluster default and its controller is
 * ours. An Ingress without a class is served when a served class is the cluster default (the class
 * admission would have given it), or when `acceptClassless` says so.
 */
export function createClassMatcher(selection: ClassSelection): (ingress: Ingress) => boolean {
  const controllers = new Set(selection.controllers ?? DEFAULT_CONTROLLERS);
  const listed = new Set(selection.classes);
  const acceptDefault = selection.acceptDefaultClass ?? true;
  const served = new Set(listed);
  let defaultServed = false;
  for (const ic of selection.ingressClasses) {
    if (!isDefaultIngressClass(ic)) continue;
    const name = ic.metadata.name;
    const ours = ic.spec?.controller !== undefined && controllers.has(ic.spec.controller);
    if (acceptDefault && ours) served.add(name);
    if (served.has(name)) defaultServed = true;
  }
  const classless = defaultServed || (selection.acceptClassless ?? false);
  return (ingress) => {
    const cls = ingressClassOf(ingress);
    return cls === undefined ? classless : served.has(cls);
  };
}
