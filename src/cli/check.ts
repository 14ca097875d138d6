/**
 * `skiff check`: validates a configuration offline, as the router would load it, and prints one
 * `FILE:LINE:COLUMN: message` line per problem, for CI. It takes the router's flags (those that
 * do not concern routes, such as --address, are accepted and ignored), parses every routes file,
 * reads --ingress-dir as the router does and translates it with the same settings, loads the
 * --filter-plugin modules, and builds each listener's route table with the built-in and plugin
 * filters and predicates. Nothing listens and no API is called.
 *
 * Exit status: 0 when every route builds, 1 when something does not, 2 for a bad command line.
 */
import { readFile } from 'node:fs/promises';
import { ErrorCode, SkiffError } from '../errors.js';
import type { RouteDefinition } from '../eskip/definition.js';
import { EskipParseError } from '../eskip/lexer.js';
import { parseRoutesWithPositions } from '../eskip/parser.js';
import { translate } from '../kubernetes/translate/index.js';
import type { ClusterSnapshot, SkippedObject } from '../kubernetes/translate/index.js';
import { silentLogger } from '../log.js';
import { loadPlugins, type LoadedPlugins } from '../plugins/load-plugins.js';
import { buildTable, type BuildDeps } from '../routing/build.js';
import { createBuildDeps } from '../build-deps.js';
import type { InvalidRoute } from '../routing/route.js';
import { formatProblem, SourceError, type SourceProblem } from '../source-error.js';
import { IngressDirWatch, type ManifestFile } from '../sources/ingress-dir.js';
import { ManifestPlaces, type ObjectPlace, type Place } from './manifest-places.js';
import { checkUsage } from './help.js';
import { parseCommandLine, type CliOptions } from './options.js';
import { translateOptionsFrom } from './translate-options.js';
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../kubernetes/objects.js';

export interface CheckIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

const processIo: CheckIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** A problem found, with the key that folds the same problem found for several listeners into one. */
interface Found {
  readonly problem: SourceProblem;
  readonly key: string;
}

/** A routes file's definitions and where each starts. */
interface RoutesFile {
  readonly file: string;
  readonly routes: readonly RouteDefinition[];
  readonly places: readonly Place[];
}

export async function runCheck(argv: readonly string[], io: CheckIo = processIo): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCommandLine(argv, io.env ?? process.env);
  } catch (err) {
    io.stderr(`skiff check: ${(err as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    io.stdout(checkUsage());
    return 0;
  }
  if (opts.routesFiles.length === 0 && opts.ingressDir === null) {
    const api = opts.kubernetes ? ' (--kubernetes is not read: a check calls no API)' : '';
    io.stderr(`skiff check: nothing to check: give --routes-file or --ingress-dir${api}\n`);
    return 2;
  }
  if (opts.kubernetes) io.stderr('skiff check: --kubernetes is ignored: a check calls no API\n');

  const found: Found[] = [];
  const add = (problem: SourceProblem, reason: string = problem.message): void => {
    found.push({ problem, key: `${problem.file}:${problem.line ?? 0}:${problem.column ?? 0}:${reason}` });
  };

  let plugins: LoadedPlugins;
  try {
    plugins = await loadPlugins(opts.filterPlugins);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    for (const p of err.problems) add(p);
    return report(found, 0, [], io);
  }

  const files: RoutesFile[] = [];
  for (const file of opts.routesFiles) {
    const loaded = await readRoutesFile(file);
    if ('problem' in loaded) add(loaded.problem);
    else {
      files.push(loaded);
      if (loaded.routes.length === 0) io.stderr(`${file}: warning: no routes\n`);
    }
  }

  const ingress = opts.ingressDir === null ? null : await readIngressDir(opts.ingressDir, add);

  const deps = buildDeps(plugins);
  const fileRoutes = files.flatMap((f) => f.routes);
  const fileOrigins = new Map<string, Place[]>();
  for (const f of files) f.routes.forEach((r, i) => pushTo(fileOrigins, r.id, f.places[i]!));

  const listeners = [{ name: 'default', classes: opts.ingressClasses }, ...opts.listeners.map((l) => ({ name: l.name, classes: l.classes }))];
  const counts: { name: string; ok: number }[] = [];
  for (const listener of listeners) {
    const translateOptions = { ...translateOptionsFrom(opts), ingressClasses: listener.classes };
    const translated = ingress === null ? null : translate(ingress.snapshot, translateOptions);
    for (const s of translated?.skipped ?? []) add(...skippedProblem(s, ingress!));
    const defs = translated === null ? fileRoutes : [...fileRoutes, ...translated.routes];
    const table = buildTable(defs, deps);
    // Routes their source already failed (a bad annotation): the translation problems above say why.
    const failedBySource = new Set(defs.filter((d) => d.failure !== undefined).map((d) => d.id));
    // Ingress route ids → their Ingress, worked out only when one of them did not build.
    let ingressOf: Map<string, string> | null = null;
    const duplicates = new Map<string, number>();
    for (const invalid of table.invalid) {
      // The n-th duplicate of an id is its (n+1)-th definition; any other problem is the first's.
      let fileIndex = 0;
      if (invalid.reason.startsWith('duplicate route id')) {
        fileIndex = (duplicates.get(invalid.id) ?? 0) + 1;
        duplicates.set(invalid.id, fileIndex);
      }
      const filePlaces = fileOrigins.get(invalid.id);
      if (filePlaces !== undefined && fileIndex < filePlaces.length) {
        const place = filePlaces[fileIndex]!;
        add({ ...place, code: invalid.code, message: `route ${invalid.id}: ${invalid.reason} [${invalid.code}]` }, invalid.reason);
        continue;
      }
      if (ingress !== null) {
        if (failedBySource.has(invalid.id)) continue;
        ingressOf ??= ingressRouteOwners(ingress.snapshot, translateOptions);
        const owner = ingressOf.get(invalid.id);
        if (owner !== undefined) {
          add(...buildProblemOfIngress(invalid, owner, ingress.places));
          continue;
        }
      }
      add({ file: ingress?.dir ?? opts.routesFiles[0] ?? 'skiff', code: invalid.code, message: `route ${invalid.id}: ${invalid.reason} [${invalid.code}]` }, invalid.reason);
    }
    counts.push({ name: listener.name, ok: defs.length - table.invalid.length });
    table.close();
  }
  return report(found, counts.reduce((n, c) => n + c.ok, 0), counts, io);
}

/** Prints the problems, sorted and each once, then a one-line summary; returns the exit status. */
function report(found: readonly Found[], ok: number, counts: readonly { name: string; ok: number }[], io: CheckIo): number {
  const byKey = new Map<string, SourceProblem>();
  for (const f of found) if (!byKey.has(f.key)) byKey.set(f.key, f.problem);
  const problems = [...byKey.values()].sort(
    (a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compare(a.message, b.message),
  );
  for (const p of problems) io.stdout(`${formatProblem(p)}\n`);
  const perListener = counts.length > 1 ? ` (${counts.map((c) => `${c.name}: ${c.ok}`).join(', ')})` : '';
  const routes = `${ok} route${ok === 1 ? '' : 's'} OK${perListener}`;
  if (problems.length === 0) {
    io.stdout(`${routes}\n`);
    return 0;
  }
  io.stdout(`${problems.length} problem${problems.length === 1 ? '' : 's'}; ${routes}\n`);
  return 1;
}

async function readRoutesFile(file: string): Promise<RoutesFile | { problem: SourceProblem }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { problem: { file, code: ErrorCode.Source, message: `cannot read: ${(err as Error).message}` } };
  }
  try {
    const parsed = parseRoutesWithPositions(text);
    return { file, routes: parsed.routes, places: parsed.positions.map((p) => ({ file, ...p })) };
  } catch (err) {
    if (err instanceof EskipParseError) return { problem: { file, line: err.line, column: err.column, code: err.code, message: err.detail } };
    throw err;
  }
}

interface IngressInput {
  readonly dir: string;
  readonly snapshot: ClusterSnapshot;
  readonly places: ManifestPlaces;
}

/** Reads the directory as the router does; its problems are added, located in their files. */
async function readIngressDir(dir: string, add: (p: SourceProblem, reason?: string) => void): Promise<IngressInput> {
  const watch = new IngressDirWatch(dir, { log: silentLogger });
  let files: readonly ManifestFile[];
  try {
    await watch.start();
  } catch (err) {
    if (err instanceof SourceError) for (const p of err.problems) add(p);
    else if (err instanceof SkiffError) add({ file: dir, code: err.code, message: err.message });
    else throw err;
  } finally {
    files = watch.manifestFiles();
    await watch.stop();
  }
  const places = new ManifestPlaces(files);
  for (const p of watch.problems()) {
    // A file that cannot be read or parsed: start() gave it with its position above.
    if (p.id === p.source && (p.code === ErrorCode.Parse || p.code === ErrorCode.InvalidOption)) continue;
    const file = places.file(p.source ?? '') ?? dir;
    const at = places.in(p.source ?? '', p.id);
    const what = at === undefined ? `${p.id}: ` : `${at.label} (document ${at.document}): `;
    add({ file, ...(at !== undefined ? { line: at.line, column: at.column } : {}), code: p.code, message: `${what}${p.reason} [${p.code}]` }, p.reason);
  }
  return { dir, snapshot: withEndpoints(watch.snapshot()), places };
}

/**
 * The snapshot with one ready endpoint (192.0.2.1, a documentation address) for every Service the
 * directory has no EndpointSlice of. A route to a Service without endpoints answers 502 locally
 * and carries none of its Ingress's filters, so without this a check of manifests kept in a
 * repository (which hold no EndpointSlices) would build none of the filters its annotations ask
 * for; with it, each route is checked as it will be once the pods are ready.
 */
function withEndpoints(snapshot: ClusterSnapshot): ClusterSnapshot {
  const sliced = new Set(
    snapshot.endpointSlices.map((s) => `${s.metadata.namespace ?? 'default'}/${s.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`),
  );
  const extra: EndpointSlice[] = [];
  for (const svc of snapshot.services) {
    const namespace = svc.metadata.namespace ?? 'default';
    if (svc.spec?.type === 'ExternalName' || sliced.has(`${namespace}/${svc.metadata.name}`)) continue;
    extra.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${svc.metadata.name}-skiff-check`, namespace, labels: { [SERVICE_NAME_LABEL]: svc.metadata.name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.1'], conditions: { ready: true } }],
      ports: (svc.spec?.ports ?? []).map((p) => ({ name: p.name ?? '', port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: 'TCP' })),
    });
  }
  return extra.length === 0 ? snapshot : { ...snapshot, endpointSlices: [...snapshot.endpointSlices, ...extra] };
}

/** A translation problem, at its Ingress, or at the annotation it names. */
function skippedProblem(s: SkippedObject, ingress: IngressInput): [SourceProblem, string] {
  const label = `${s.kind} ${s.object}`;
  const object = ingress.places.object(label);
  const annotation = /^annotation ([^:\s]+):/.exec(s.reason)?.[1];
  return [located(object, ingress.dir, label, annotation, s.code, `${s.reason}${s.id !== undefined ? ` (route ${s.id})` : ''}`), `${label}:${s.reason}`];
}

/**
 * A route of an Ingress that did not build. Its filters and predicates come from the Ingress's
 * annotations: the one whose text calls the filter or predicate named in the reason is pointed at.
 */
function buildProblemOfIngress(invalid: InvalidRoute, owner: string, places: ManifestPlaces): [SourceProblem, string] {
  const label = `Ingress ${owner}`;
  const object = places.object(label);
  const name = /^unknown (?:filter|predicate) (\w+)/.exec(invalid.reason)?.[1] ?? /^(\w+): /.exec(invalid.reason)?.[1];
  let annotation = /^annotation ([^:\s]+):/.exec(invalid.reason)?.[1];
  if (annotation === undefined && name !== undefined && object !== undefined) {
    const call = new RegExp(`(^|[^\\w])${name}\\s*\\(`);
    for (const [key, a] of object.annotations) {
      if (call.test(a.value)) {
        annotation = key;
        break;
      }
    }
  }
  const reason = annotation !== undefined && !invalid.reason.startsWith('annotation ') ? `annotation ${annotation}: ${invalid.reason}` : invalid.reason;
  return [located(object, '', label, annotation, invalid.code, `${reason} (route ${invalid.id})`), `${label}:${invalid.reason}`];
}

function located(object: ObjectPlace | undefined, dir: string, label: string, annotation: string | undefined, code: string, message: string): SourceProblem {
  if (object === undefined) return { file: dir, code, message: `${label}: ${message} [${code}]` };
  const at = (annotation !== undefined ? object.annotations.get(annotation)?.place : undefined) ?? object;
  return { file: object.file, line: at.line, column: at.column, code, message: `${label} (document ${object.document}): ${message} [${code}]` };
}

/**
 * Which Ingress each translated route id comes from: each Ingress translated alone, without the
 * routes that belong to no one Ingress (health check, per-host catch-alls).
 */
function ingressRouteOwners(snapshot: ClusterSnapshot, options: Parameters<typeof translate>[1]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const ing of snapshot.ingresses) {
    const alone = translate({ ...snapshot, ingresses: [ing] }, { ...options, healthcheck: false, catchAllRoutes: false });
    const key = `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
    for (const r of alone.routes) if (!owners.has(r.id)) owners.set(r.id, key);
  }
  return owners;
}

/** The router's registries: the built-ins and the plugins' specs. */
function buildDeps(plugins: LoadedPlugins): BuildDeps {
  return createBuildDeps({ isDraining: () => false, predicates: plugins.predicates, filters: plugins.filters });
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
