/**
 * Route ids for translated Ingresses, in Skipper's shape so that ids read the same in both:
 * `kube_<ns>__<name>__<host>__<path>__<service>`, every non-word character replaced by `_`.
 */

const NON_WORD = /\W/g;
const WORD_ONLY = /^\w*$/;

export function escapeIdPart(s: string): string {
  return WORD_ONLY.test(s) ? s : s.replace(NON_WORD, '_');
}

/**
 * `kube_<ns>__<name>__<host>__<path>__<service>`; `/foo` becomes `_foo`. Joined rather than
 * concatenated: the id is kept for the life of the route, and a flat string takes a quarter of
 * the memory of the concatenation tree a template literal leaves behind.
 */
export function routeId(namespace: string, name: string, host: string, path: string, service: string): string {
  return routeIdIn(ruleIdPrefix(namespace, name, host), path, service);
}

/** `kube_<ns>__<name>__<host>__`, escaped: what the ids of one rule's routes start with. */
export function ruleIdPrefix(namespace: string, name: string, host: string): string {
  return ['kube_', escapeIdPart(namespace), '__', escapeIdPart(name), '__', escapeIdPart(host), '__'].join('');
}

/** routeId() for a prefix from ruleIdPrefix(): the rule's parts are escaped once, not once per path. */
export function routeIdIn(prefix: string, path: string, service: string): string {
  return [prefix, escapeIdPart(path), '__', escapeIdPart(service)].join('');
}

/** The host-less default backend of an Ingress: `kube_<ns>__<name>______`. */
export function defaultBackendId(namespace: string, name: string): string {
  return routeId(namespace, name, '', '', '');
}

/**
 * The default backend of an Ingress scoped to one of its hosts. Skipper has no such route; the
 * `defaultbackend` path part cannot come from a real path, which always starts with `/`.
 */
export function hostDefaultBackendId(namespace: string, name: string, host: string, service: string): string {
  return routeId(namespace, name, host, 'defaultbackend', service);
}

/** The per-host 404 route: `kube___catchall__<host>____`. */
export function catchAllId(host: string): string {
  return routeId('', 'catchall', host, '', '');
}

/**
 * A route from the `zalando.org/skipper-routes` annotation, copied onto one rule's host and path:
 * `kube_<ns>__<name>_<id>_<index>__<host><path>____`, as Skipper's `routeIDForCustom` builds it.
 */
export function customRouteId(namespace: string, name: string, id: string, index: number, host: string, path: string): string {
  return routeId(namespace, `${name}_${id}_${index}`, host + path, '', '');
}
