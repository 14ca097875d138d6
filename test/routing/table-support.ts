/**
 * Test support for the routing tests: the build dependencies (built-in predicates, a few
 * recording filters, a small backend compiler) and a table built from eskip text.
 */
import type { Backend } from '../../src/backend/backend.js';
import type { BackendDefinition, RouteDefinition } from '../../src/eskip/definition.js';
import type { Filter, FilterSpec, PredicateSpec } from '../../src/spec.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { Registry } from '../../src/registry.js';
import { builtinPredicates } from '../../src/predicates/index.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { buildTable } from '../../src/routing/build.js';
import type { BuildDeps } from '../../src/routing/build.js';
import type { RouteTable } from '../../src/routing/table.js';

export function compileBackend(def: BackendDefinition): Backend {
  switch (def.type) {
    case 'network': {
      const url = new URL(def.address);
      return { type: 'network', endpoint: { origin: url.origin, authority: url.host } };
    }
    case 'shunt':
    case 'loopback':
    case 'dynamic':
      return { type: def.type };
    default:
      throw new SkiffError(ErrorCode.InvalidBackend, `backend type ${def.type} is not supported here`);
  }
}

/** Filters created and closed, by name, so tests can check the table's lifecycle. */
export interface FilterLog {
  created: string[];
  closed: string[];
}

export function recordingFilters(log: FilterLog): FilterSpec[] {
  const spec = (name: string): FilterSpec => ({
    name,
    create(args): Filter {
      const label = `${name}(${args.join(',')})`;
      log.created.push(label);
      return { close: () => void log.closed.push(label) };
    },
  });
  return [
    spec('tag'),
    spec('other'),
    {
      name: 'failing',
      create(): Filter {
        throw new SkiffError(ErrorCode.InvalidArgs, 'failing: always refuses');
      },
    },
    {
      name: 'crashing',
      create(): Filter {
        throw new TypeError('cannot read properties of undefined');
      },
    },
  ];
}

export function deps(log: FilterLog = { created: [], closed: [] }, extraPredicates: PredicateSpec[] = []): BuildDeps {
  return {
    predicates: new Registry<PredicateSpec>([...builtinPredicates(), ...extraPredicates]),
    filters: new Registry<FilterSpec>(recordingFilters(log)),
    compileBackend,
  };
}

export function tableOf(routes: string | readonly RouteDefinition[], buildDeps: BuildDeps = deps()): RouteTable {
  return buildTable(typeof routes === 'string' ? parseRoutes(routes) : routes, buildDeps);
}
