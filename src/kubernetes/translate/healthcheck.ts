/**
 * The load balancer health-check route: `GET /kube-system/healthz` answered 200 locally, only for
 * private and loopback sources, as Skipper's `kube__healthz_up`. Skipper also emits a
 * `Shutdown()` route answering 503 while draining; skiff has no such predicate, so the proxy itself
 * answers 503 on {@link HEALTHCHECK_PATH} once it drains.
 *
 * The route has no Host condition, so it answers requests whose Host no rule names: load balancer
 * health checks and kubelet probes address the node or pod IP, which is never an Ingress host.
 */
import type { RouteDefinition } from '../../eskip/definition.js';

export const HEALTHCHECK_PATH = '/kube-system/healthz';
export const HEALTHCHECK_ROUTE_ID = 'kube__healthz_up';

export const DEFAULT_HEALTHCHECK_SOURCES: readonly string[] = [
  '10.0.0.0/8',
  '192.168.0.0/16',
  '172.16.0.0/12',
  '127.0.0.0/8',
  'fd00::/8',
  '::1/128',
];

export function healthcheckRoute(sources: readonly string[] = DEFAULT_HEALTHCHECK_SOURCES): RouteDefinition {
  return {
    id: HEALTHCHECK_ROUTE_ID,
    predicates: [
      { name: 'Path', args: [HEALTHCHECK_PATH] },
      { name: 'Source', args: [...sources] },
    ],
    filters: [{ name: 'status', args: [200] }],
    backend: { type: 'shunt' },
  };
}
