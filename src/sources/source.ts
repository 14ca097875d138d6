/**
 * A source of route definitions (routes files, an Ingress directory, the Kubernetes API). A
 * source reports its whole current set each time something changes; the composition root
 * merges the sets of all sources and builds one table from them.
 */
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';

export interface SourceUpdate {
  readonly routes: readonly RouteDefinition[];
  /** Definitions the source itself had to set aside (a bad annotation, a missing Service). */
  readonly invalid: readonly InvalidRoute[];
}

export interface RouteSourceHandle {
  readonly name: string;
  /** Resolves after the first complete load (the table can then go live). */
  start(onUpdate: (update: SourceUpdate) => void): Promise<void>;
  stop(): Promise<void>;
}
