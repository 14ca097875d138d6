/**
 * Custom filters and predicates from ES modules named on the command line (`--filter-plugin`)
 * or by a program embedding skiff. A plugin module exports `filters` and/or `predicates`, arrays
 * of specs, either as named exports or on its default export:
 *
 *   export const filters = [{ name: 'apiDeprecation', create(args) { ... return { request(ctx) {...} } } }];
 *   export default { filters, predicates };
 *
 * Everything is checked at load time, and a bad module stops start-up with a SourceError (code
 * Plugin) naming the file, and the line and column where there is one (a syntax error, an
 * exception thrown while the module runs). Each spec is wrapped so that a plugin whose create() throws something other
 * than a SkiffError, or returns something that is not a filter or predicate, sets only its route
 * aside (InvalidArgs) like a built-in with bad arguments.
 */
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Arg, Filter, FilterSpec, Predicate, PredicateSpec } from '../spec.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { SourceError } from '../source-error.js';

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
  const path = resolve(file);
  try {
    await stat(path);
  } catch (err) {
    throw pluginError(file, `cannot read: ${(err as Error).message}`, err);
  }
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
    const thrown = thrownAt(err, [url, path]);
    if (thrown !== undefined) throw pluginError(file, `cannot load: ${message}`, err, thrown);
    const syntax = syntaxError(path);
    if (syntax !== undefined) throw pluginError(file, `cannot load: ${syntax.message}`, err, syntax);
    throw pluginError(file, `cannot load: ${message}`, err);
  }
}

/**
 * The syntax error of a module, with its position. Node's import error carries none (its stack
 * is the loader's), but `node --check` prints `FILE:LINE`, the line, a caret under the column,
 * and the error. Only run when a plugin failed to load, so the extra process costs nothing in
 * the normal case.
 */
function syntaxError(path: string): (Position & { message: string }) | undefined {
  const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  const lines = (check.stderr ?? '').split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${path}:`) && /:\d+$/.test(l));
  if (at === -1) return undefined;
  const line = Number(lines[at]!.slice(path.length + 1));
  const caret = lines[at + 2]?.indexOf('^') ?? -1;
  const message = lines.slice(at + 3).find((l) => /^\w*Error\b/.test(l)) ?? 'SyntaxError';
  return { line, column: caret >= 0 ? caret + 1 : 1, message };
}

/** The first stack frame inside the module itself: where an exception while it ran was thrown. */
function thrownAt(err: unknown, names: readonly string[]): Position | undefined {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  for (const frame of stack.split('\n')) {
    if (!frame.trimStart().startsWith('at ')) continue;
    for (const name of names) {
      const i = frame.indexOf(`${name}:`);
      if (i === -1) continue;
      const m = /^:(\d+):(\d+)/.exec(frame.slice(i + name.length));
      if (m !== null) return { line: Number(m[1]), column: Number(m[2]) };
    }
  }
  return undefined;
}

interface Position {
  readonly line: number;
  readonly column: number;
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

function pluginError(file: string, message: string, cause?: unknown, at?: Position): SourceError {
  return new SourceError([{ file, ...at, code: ErrorCode.Plugin, message }], cause === undefined ? undefined : { cause });
}
