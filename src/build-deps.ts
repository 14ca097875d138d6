/**
 * What a route table is built with: the built-in predicates and filters next to those of plugins,
 * and a backend compiler whose endpoints are shared by every route of a Service (across
 * listeners too). The router and `skiff check` build with the same, so a check sees exactly the
 * names and arguments the router would accept.
 */
import type { BackendDefinition } from './eskip/definition.js';
import type { FilterSpec, PredicateSpec } from './spec.js';
import type { BuildDeps } from './routing/build.js';
import { Registry } from './registry.js';
import { builtinPredicates } from './predicates/index.js';
import { shutdownSpec } from './predicates/shutdown.js';
import { builtinFilters } from '../filters/index.js';
import { compileBackend, EndpointCache } from './backend/compile.js';

export interface RouteBuildDeps extends BuildDeps {
  readonly predicates: Registry<PredicateSpec>;
  readonly filters: Registry<FilterSpec>;
  /** The endpoints the backends share; rotate() after each build lets go of unused ones. */
  readonly endpoints: EndpointCache;
}

export function createBuildDeps(options: {
  /** What `Shutdown()` asks. */
  readonly isDraining: () => boolean;
  readonly predicates?: readonly PredicateSpec[];
  readonly filters?: readonly FilterSpec[];
}): RouteBuildDeps {
  const predicates = new Registry<PredicateSpec>([...builtinPredicates(), shutdownSpec(options.isDraining), ...(options.predicates ?? [])]);
  const filters = new Registry<FilterSpec>([...builtinFilters(), ...(options.filters ?? [])]);
  const endpoints = new EndpointCache();
  return { predicates, filters, endpoints, compileBackend: (def: BackendDefinition) => compileBackend(def, endpoints) };
}
