/**
 * Custom filters and predicates from ES modules named on the command line (`--filter-plugin`)
 * or by a program embedding skiff. A plugin module exports `filters` and/or `predicates`, arrays
 * of specs, either as named exports or on its default export:
 *
 *   export const filters = [{ name: 'apiDeprecation', create(args) { ... return { request(ctx) {...} } } }];
 *   export default { filters, predicates };
 *
 * Everything is checked at load time, and a bad module stops start-up with SkiffError Plugin
 * naming the file. Each spec is wrapped so that a plugin whose create() throws something other
 * than a SkiffError, or returns something that is not a filter or predicate, sets only its route
 * aside (InvalidArgs) like a built-in with bad arguments.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Arg, Filter, FilterSpec, Predicate, PredicateSpec } from '../spec.js';
import { ErrorCode, SkiffError } from '../errors.js';

export interface LoadedPlugins {
  readonly filters: FilterSpec[];
  readonly predicates: PredicateSpec[];
}

const filterName = /^[a-z][A-Za-z0-9_]*$/;
const predicateName = /^[A-Z][A-Za-z0-9_]*$/;

/** Loads every file in order; names must be unique across them. */
export async function loadPlugins(files: readonly string[]): Promise<LoadedPlugins> {
  const filters: FilterSpec[] = [];
  const predicates: PredicateSpec[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const mod = await importPlugin(file);
    const found = exportedSpecs(file, mod);
    for (const [kind, specs] of [['filter', found.filters], ['predicate', found.predicates]] as const) {
      for (const spec of specs) {
        const key = `${kind} ${spec.name}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) throw pluginError(file, `${kind} ${spec.name} is also defined by ${earlier}`);
        seen.set(key, file);
      }
    }
    filters.push(...found.filters.map((s) => wrapFilterSpec(file, s)));
    predicates.push(...found.predicates.map((s) => wrapPredicateSpec(file, s)));
  }
  return { filters, predicates };
}

/** The filters of the given plugin files (their predicates are checked, then left out). */
export async function loadFilterPlugins(files: readonly string[]): Promise<FilterSpec[]> {
  return (await loadPlugins(files)).filters;
}

async function importPlugin(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(resolve(file)).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw pluginError(file, `cannot load: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

function exportedSpecs(file: string, mod: Record<string, unknown>): { filters: FilterSpec[]; predicates: PredicateSpec[] } {
  const fallback = mod.default;
  const source = (key: 'filters' | 'predicates'): unknown => {
    if (mod[key] !== undefined) return mod[key];
    if (typeof fallback === 'object' && fallback !== null) return (fallback as Record<string, unknown>)[key];
    return undefined;
  };
  const filters = specList(file, 'filters', source('filters'), filterName, 'lowerCamel, e.g. myFilter');
  const predicates = specList(file, 'predicates', source('predicates'), predicateName, 'UpperCamel, e.g. MyPredicate');
  if (filters.length === 0 && predicates.length === 0) {
    throw pluginError(file, 'exports no specs: expected a "filters" or "predicates" array, named or on the default export');
  }
  return { filters: filters as FilterSpec[], predicates: predicates as PredicateSpec[] };
}

function specList(file: string, key: string, value: unknown, pattern: RegExp, shape: string): { name: string; create: (...args: never[]) => unknown }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw pluginError(file, `"${key}" must be an array of specs`);
  return value.map((spec: unknown, i) => {
    if (typeof spec !== 'object' || spec === null) throw pluginError(file, `${key}[${i}] is not an object`);
    const { name, create } = spec as { name?: unknown; create?: unknown };
    if (typeof name !== 'string' || !pattern.test(name)) {
      throw pluginError(file, `${key}[${i}] needs a name that is ${shape}, got ${JSON.stringify(name)}`);
    }
    if (typeof create !== 'function') throw pluginError(file, `${key}[${i}] (${name}) needs a create function`);
    return spec as { name: string; create: (...args: never[]) => unknown };
  });
}

function wrapFilterSpec(file: string, spec: FilterSpec): FilterSpec {
  return {
    name: spec.name,
    create(args: readonly Arg[]): Filter {
      const filter = callCreate(file, spec.name, () => spec.create(args));
      const f = filter as Partial<Record<keyof Filter, unknown>> | null;
      if (
        typeof f !== 'object' || f === null ||
        (f.request !== undefined && typeof f.request !== 'function') ||
        (f.response !== undefined && typeof f.response !== 'function') ||
        (f.close !== undefined && typeof f.close !== 'function')
      ) {
        throw new SkiffError(ErrorCode.InvalidArgs, `${spec.name}: the plugin ${file} returned no filter`);
      }
      return filter;
    },
  };
}

function wrapPredicateSpec(file: string, spec: PredicateSpec): PredicateSpec {
  return {
    name: spec.name,
    create(args: readonly Arg[]): Predicate {
      const predicate = callCreate(file, spec.name, () => spec.create(args));
      if (typeof predicate !== 'object' || predicate === null || typeof (predicate as Partial<Predicate>).match !== 'function') {
        throw new SkiffError(ErrorCode.InvalidArgs, `${spec.name}: the plugin ${file} returned no predicate`);
      }
      return predicate;
    },
  };
}

function callCreate<T>(file: string, name: string, create: () => T): T {
  try {
    return create();
  } catch (err) {
    if (err instanceof SkiffError) throw err;
    throw new SkiffError(ErrorCode.InvalidArgs, `${name}: ${err instanceof Error ? err.message : String(err)} (plugin ${file})`, { cause: err });
  }
}

function pluginError(file: string, message: string, cause?: unknown): SkiffError {
  return new SkiffError(ErrorCode.Plugin, `plugin ${file}: ${message}`, cause === undefined ? undefined : { cause });
}
