/**
 * The load balancer health-check routes: `GET /kube-system/healthz` answered locally, only for
 * private and loopback sources, as Skipper's `kube__healthz_up` (200) and `kube__healthz_down`
 * (503 once the process drains: its extra `Shutdown()` predicate ranks it first then).
 *
 * The route has no Host condition, so it answers requests whose Host no rule names: load balancer
 * health checks and kubelet probes address the node or pod IP, which is never an Ingress host.
 */
import type { RouteDefinition } from '../../eskip/definition.js';

export const HEALTHCHECK_PATH = '/kube-system/healthz';
export const HEALTHCHECK_ROUTE_ID = 'kube__healthz_up';
export const HEALTHCHECK_DOWN_ROUTE_ID = 'kube__healthz_down';

export const DEFAULT_HEALTHCHECK_SOURCES: readonly string[] = [
  '10.0.0.0/8',
  '192.168.0.0/16',
  '172.16.0.0/12',
  '127.0.0.0/8',
  'fd00::/8',
  '::1/128',
];

export function healthcheckRoutes(sources: readonly string[] = DEFAULT_HEALTHCHECK_SOURCES): RouteDefinition[] {
  const match = [
    { name: 'Path', args: [HEALTHCHECK_PATH] },
    { name: 'Source', args: [...sources] },
  ];
  return [
    {
      id: HEALTHCHECK_DOWN_ROUTE_ID,
      predicates: [...match, { name: 'Shutdown', args: [] }],
      filters: [{ name: 'status', args: [503] }],
      backend: { type: 'shunt' },
    },
    {
      id: HEALTHCHECK_ROUTE_ID,
      predicates: match,
      filters: [{ name: 'status', args: [200] }],
      backend: { type: 'shunt' },
    },
  ];
}
