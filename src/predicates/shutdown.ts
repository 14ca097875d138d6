/**
 * `Shutdown()`: true once the process drains (after SIGTERM). The health-check routes use it the
 * way Skipper does: a `Shutdown()` route answering 503 outranks the 200 one while draining, so
 * the load balancer takes the node out before the listeners close. The spec reads the drain state
 * of the skiff instance that registers it, so it is created per instance, not in the built-ins.
 */
import type { Predicate, PredicateSpec } from '../spec.js';
import { invalidArgs } from '../errors.js';

export const SHUTDOWN = 'Shutdown';

export function shutdownSpec(isDraining: () => boolean): PredicateSpec {
  const predicate: Predicate = { match: () => isDraining() };
  return {
    name: SHUTDOWN,
    create(args) {
      if (args.length !== 0) throw invalidArgs(SHUTDOWN, 'takes no arguments');
      return predicate;
    },
  };
}
