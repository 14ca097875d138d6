/**
 * One Ingress to candidate routes. Each rule path becomes a group of routes that share one match
 * (host, path, annotation predicates): one route per backend, split by backend-weights. The
 * default backend becomes a per-host catch-all for each of the Ingress's hosts plus a host-less
 * one. Groups are only candidates: overlaps between Ingresses are settled afterwards.
 */
import type { BackendDefinition, Call, RouteDefinition, RouteFailure } from '../../eskip/definition.js';
import { sameBackend, sameCalls } from '../../eskip/equal.js';
import { ErrorCode } from '../../errors.js';
import type { ErrorCode as Code } from '../../errors.js';
import type { Ingress, IngressBackend, IngressServiceBackend } from '../objects.js';
import { readAnnotations } from './annotations.js';
import type { AnnotationProblem, IngressAnnotations } from './annotations.js';
import { scopeCustomRoutes } from './custom-routes.js';
import { ingressShapeProblem } from './shape.js';
import { checkHost } from './hosts.js';
import { defaultBackendId, hostDefaultBackendId, routeIdIn, ruleIdPrefix } from './ids.js';
import { trafficShares } from './traffic.js';
import { resolveFromState } from './services.js';
import type { BackendSettings, Resolution, ServiceIndex, ServiceState } from './services.js';
import type { SharedCalls } from './shared-calls.js';
import type { PathMode, SkippedObject } from './types.js';

export type CandidateKind = 'rule' | 'host-default' | 'default';

/**
 * Routes that share one match; the whole group wins or loses an overlap together. Its routes are
 * `count` routes of the translation's `routes` from `first`: a translation given new backends (see
 * {@link rebindIngress}) has a new route list and the same candidates.
 */
export interface Candidate {
  readonly kind: CandidateKind;
  /** Equal keys overlap: the match (predicates before traffic splitting) and the kind. */
  readonly key: string;
  /** Normalised host, undefined for host-less candidates. */
  readonly host: string | undefined;
  /** Matches every request of its host (or every request, host-less) with no other condition. */
  readonly catchAll: boolean;
  readonly first: number;
  readonly count: number;
}

export interface IngressTranslation {
  readonly candidates: readonly Candidate[];
  /** The routes of the candidates, candidate after candidate. */
  readonly routes: readonly RouteDefinition[];
  readonly customRoutes: readonly RouteDefinition[];
  /** Every valid host named by the Ingress's rules, in order. */
  readonly hosts: readonly string[];
  readonly skipped: readonly SkippedObject[];
  /**
   * The Services the translation read, as they were: while each is still the current state, the
   * same Ingress object translates to the same result.
   */
  readonly services: readonly ServiceState[];
  /** Every resolution the translation used, once each: what {@link rebindIngress} resolves again. */
  readonly backends: readonly BackendUse[];
}

/** One Service backend the translation resolved, and what it got. */
export interface BackendUse {
  readonly state: ServiceState;
  readonly ref: IngressServiceBackend;
  readonly settings: BackendSettings;
  /**
   * The resolution the routes were made from: after a rebind that changed no backend, the earlier
   * one, equal to the current one, as the routes still hold its backend.
   */
  readonly resolution: Resolution;
}

export interface IngressContext {
  readonly services: ServiceIndex;
  readonly pathMode: PathMode;
  readonly defaultLoadBalancer: string;
  readonly externalNames: BackendSettings['externalNames'];
  readonly defaultFilters: Readonly<Record<string, readonly Call[]>>;
  /** Predicates shared by the routes of every Ingress and by successive translations. */
  readonly calls: SharedCalls;
}

interface PathEntry {
  readonly rawPath: string;
  readonly service: string;
  readonly port: NonNullable<IngressBackend['service']>;
}

interface PathGroup {
  readonly rawPath: string;
  readonly predicate: Call | undefined;
  readonly implementationSpecific: boolean;
  readonly entries: PathEntry[];
}

export function translateIngress(ingress: Ingress, ctx: IngressContext): IngressTranslation {
  const problem = ingressShapeProblem(ingress);
  if (problem !== null) return setAside(ingress, problem);
  let translator: IngressTranslator | undefined;
  try {
    translator = new IngressTranslator(ingress, ctx);
    return translator.run();
  } catch (err) {
    // A shape the check above let through and the translation did not expect: this Ingress is
    // set aside with the error, the others are translated as usual.
    const t = setAside(ingress, `cannot be translated: ${err instanceof Error ? err.message : String(err)}`);
    // The error may come from a Service or slice it read (of a wrong shape, from a manifest):
    // those are kept, so that the Ingress is translated again once they change, not left aside.
    return translator === undefined ? t : { ...t, services: translator.servicesRead() };
  }
}

/** The translation of an Ingress that cannot be read: no routes, one skipped object saying why. */
function setAside(ingress: Ingress, reason: string): IngressTranslation {
  const meta = ingress.metadata as { namespace?: unknown; name?: unknown } | null | undefined;
  const namespace = typeof meta?.namespace === 'string' ? meta.namespace : 'default';
  const name = typeof meta?.name === 'string' ? meta.name : '?';
  return {
    candidates: [],
    routes: [],
    customRoutes: [],
    hosts: [],
    skipped: [{ object: `${namespace}/${name}`, kind: 'Ingress', code: ErrorCode.InvalidIngress, reason }],
    services: [],
    backends: [],
  };
}

class IngressTranslator {
  private readonly namespace: string;
  private readonly name: string;
  private readonly object: string;
  private readonly ann: IngressAnnotations;
  /**
   * Set when an annotation is bad: every route of the Ingress then keeps its match and answers
   * 500 with this failure, so that none of its requests reaches a backend without the filters,
   * predicates or settings the owner meant (nor another Ingress's route), and the owner sees it
   * at once. Other Ingresses are not touched.
   */
  private readonly failure: RouteFailure | undefined;
  private readonly pathMode: PathMode;
  /** The annotation predicates as an overlap-key part. */
  private readonly predicatesKey: string;
  private readonly candidates: Candidate[] = [];
  private readonly routes: RouteDefinition[] = [];
  private readonly customRoutes: RouteDefinition[] = [];
  /** Few per Ingress: arrays, without the cost of a Set each. */
  private readonly hosts: string[] = [];
  private readonly skipped: SkippedObject[] = [];
  private readonly services: ServiceState[] = [];
  private readonly backends: BackendUse[] = [];

  constructor(
    private readonly ingress: Ingress,
    private readonly ctx: IngressContext,
  ) {
    this.namespace = ingress.metadata.namespace ?? 'default';
    this.name = ingress.metadata.name;
    this.object = [this.namespace, this.name].join('/');
    this.ann = readAnnotations(ingress.metadata.annotations);
    this.failure = annotationFailure(this.object, this.ann.problems);
    this.pathMode = this.ann.pathMode ?? ctx.pathMode;
    this.predicatesKey = this.ann.predicates.length === 0 ? '' : JSON.stringify(this.ann.predicates);
  }

  /** The Services read so far; after an error, the one being read when it came is the last. */
  servicesRead(): readonly ServiceState[] {
    return exact(this.services);
  }

  run(): IngressTranslation {
    const rules = this.ingress.spec?.rules ?? [];
    for (const rule of rules) this.translateRule(rule.host, rule.http?.paths ?? []);
    this.translateDefaultBackend();
    // once for the Ingress too: it shows even when no route could be made
    for (const p of this.ann.problems) this.skip(undefined, p.code, `${p.reason}; every route of the Ingress answers 500 until it is fixed`);
    // Kept while the Ingress is unchanged: arrays sized exactly (a pushed-to array keeps spare room).
    return {
      candidates: exact(this.candidates),
      routes: exact(this.routes),
      customRoutes: exact(this.customRoutes),
      hosts: exact(this.hosts),
      skipped: exact(this.skipped),
      services: exact(this.services),
      backends: exact(this.backends),
    };
  }

  private addCandidate(kind: CandidateKind, key: string, host: string | undefined, catchAll: boolean, routes: readonly RouteDefinition[]): void {
    this.candidates.push({ kind, key, host, catchAll, first: this.routes.length, count: routes.length });
    for (const r of routes) this.routes.push(r);
  }

  private skip(id: string | undefined, code: Code, reason: string): void {
    this.skipped.push(id === undefined ? { object: this.object, kind: 'Ingress', code, reason } : { id, object: this.object, kind: 'Ingress', code, reason });
  }

  private translateRule(rawHost: string | undefined, paths: readonly { path?: string; pathType?: string; backend: IngressBackend }[]): void {
    let host: string | undefined;
    if (rawHost !== undefined && rawHost.trim() !== '') {
      const checked = checkHost(rawHost);
      if (!checked.ok) {
        this.skip(undefined, ErrorCode.InvalidIngress, `rule skipped: ${checked.reason}`);
        return;
      }
      host = checked.host;
      if (!this.hosts.includes(host)) this.hosts.push(host);
    }
    const hostPredicates = host === undefined ? NO_CALLS : this.ctx.calls.host(host);
    const idPrefix = ruleIdPrefix(this.namespace, this.name, host ?? '');
    const groups = new Map<string, PathGroup>();
    for (const p of paths) {
      const rawPath = p.path ?? '';
      const backend = p.backend.service;
      const implementationSpecific = p.pathType === undefined || p.pathType === '' || p.pathType === 'ImplementationSpecific';
      // Only needed to report a path that is set aside.
      const id = (): string => routeIdIn(idPrefix, rawPath, backend?.name ?? p.backend.resource?.name ?? '');
      if (backend === undefined) {
        this.skip(id(), ErrorCode.InvalidBackend, unsupportedBackend(p.backend));
        continue;
      }
      const pr = this.ctx.calls.path(p.pathType, rawPath, this.pathMode);
      if (!pr.ok) {
        this.skip(id(), ErrorCode.InvalidIngress, pr.reason);
        continue;
      }
      const groupKey = pathKey(pr.predicate);
      let group = groups.get(groupKey);
      if (group === undefined) {
        group = { rawPath, predicate: pr.predicate, implementationSpecific, entries: [] };
        groups.set(groupKey, group);
      }
      group.entries.push({ rawPath, service: backend.name, port: backend });
    }
    for (const [key, group] of groups) {
      this.translateGroup(host, hostPredicates, idPrefix, group, key);
      this.addCustomRoutes(host, hostPredicates, group);
    }
  }

  private translateGroup(host: string | undefined, hostPredicates: readonly Call[], idPrefix: string, group: PathGroup, groupKey: string): void {
    // the host, the path predicate and the Ingress's predicates are the whole match
    const key = (): string => ['rule', host ?? '', groupKey, this.predicatesKey].join('|');
    const shared =
      hostPredicates.length === 1 && group.predicate !== undefined && this.ann.predicates.length === 0
        ? this.ctx.calls.rulePath(hostPredicates[0]!, group.predicate, key)
        : undefined;
    const predicates = shared?.predicates ?? joinCalls(hostPredicates, group.predicate === undefined ? NO_CALLS : [group.predicate], this.ann.predicates);
    const ids = group.entries.map((e) => routeIdIn(idPrefix, e.rawPath, e.service));
    if (this.failure !== undefined) {
      const failure = this.failure;
      const failing = ids.map((id): RouteDefinition => ({ id, predicates, filters: NO_CALLS, backend: SHUNT, failure }));
      this.addCandidate('rule', shared?.key ?? key(), host, this.ann.predicates.length === 0 && isCatchAllPath(group.predicate), failing);
      return;
    }
    // Backends that cannot be resolved are left out of the split, so their share goes to the others
    // instead of to a 404.
    const resolved: { id: string; entry: PathEntry; route: Omit<RouteDefinition, 'id' | 'predicates'> }[] = [];
    for (let i = 0; i < group.entries.length; i++) {
      const entry = group.entries[i]!;
      const route = this.backendRoute(ids[i]!, entry.port);
      if (route !== undefined) resolved.push({ id: ids[i]!, entry, route });
    }
    if (resolved.length === 0) {
      // No Service of the path can be reached (missing, or without the port): the path keeps its
      // match and answers 500, since a broader route of the host (a default backend, another
      // Ingress's prefix) may lack the filters this Ingress puts in front of its Services.
      this.addCandidate('rule', shared?.key ?? key(), host, this.ann.predicates.length === 0 && isCatchAllPath(group.predicate), this.unresolved(ids, predicates));
      return;
    }
    const shares = trafficShares(resolved.map((r) => r.entry.service), this.ann.weights);
    const routes = shares.map((share): RouteDefinition => {
      const r = resolved[share.index]!;
      return { id: r.id, predicates: joinCalls(predicates, share.predicates), filters: r.route.filters, backend: r.route.backend };
    });
    if (routes.length === 0) return;
    this.addCandidate('rule', shared?.key ?? key(), host, this.ann.predicates.length === 0 && isCatchAllPath(group.predicate), routes);
  }

  /** The failing routes of a path none of whose Services resolved, with the reasons already skipped for them. */
  private unresolved(ids: readonly string[], predicates: readonly Call[]): RouteDefinition[] {
    const reasons = [...new Set(this.skipped.filter((s) => s.id !== undefined && ids.includes(s.id)).map((s) => s.reason))];
    const failure: RouteFailure = Object.freeze({ code: ErrorCode.InvalidBackend, reason: `Ingress ${this.object}: ${reasons.join('; ')}` });
    return ids.map((id) => ({ id, predicates, filters: NO_CALLS, backend: SHUNT, failure }));
  }

  /** The filters and backend of a route to a Service; undefined (and a skipped entry) when it cannot be built. */
  private backendRoute(id: string, ref: NonNullable<IngressBackend['service']>): Omit<RouteDefinition, 'id' | 'predicates'> | undefined {
    const state = this.ctx.services.state(this.namespace, ref.name);
    if (!this.services.includes(state)) this.services.push(state);
    const settings = { scheme: this.ann.scheme, algorithm: this.ann.algorithm ?? this.ctx.defaultLoadBalancer, externalNames: this.ctx.externalNames };
    const resolution = resolveFromState(state, ref, settings);
    // the paths of one Service get the same resolution object (see resolveFromState): one use
    if (!this.backends.some((u) => u.resolution === resolution)) this.backends.push({ state, ref, settings, resolution });
    if (!resolution.ok) {
      this.skip(id, resolution.code ?? ErrorCode.InvalidBackend, resolution.reason);
      return resolution.answer;
    }
    const value = resolution.value;
    if (value.noEndpoints) return { filters: value.filters, backend: value.backend };
    const defaults = this.ctx.defaultFilters[`${ref.name}.${this.namespace}`] ?? [];
    return { filters: joinCalls(this.ann.ipFilters, defaults, this.ann.filters, value.filters), backend: value.backend };
  }

  private addCustomRoutes(host: string | undefined, hostPredicates: readonly Call[], group: PathGroup): void {
    if (this.ann.customRoutes.length === 0) return;
    const scoped = scopeCustomRoutes(this.ann.customRoutes, {
      namespace: this.namespace,
      name: this.name,
      host,
      hostPredicates,
      path: group.rawPath,
      pathPredicate: group.predicate,
      ownPathWins: group.implementationSpecific && this.pathMode === 'path-prefix',
    });
    const failure = this.failure;
    for (const s of scoped) {
      if (!s.ok) this.skip(s.id, ErrorCode.InvalidRoute, s.reason);
      else if (failure === undefined) this.customRoutes.push(s.route);
      else this.customRoutes.push({ id: s.route.id, predicates: s.route.predicates, filters: NO_CALLS, backend: SHUNT, failure });
    }
  }

  private translateDefaultBackend(): void {
    const db = this.ingress.spec?.defaultBackend;
    if (db === undefined) return;
    const id = defaultBackendId(this.namespace, this.name);
    if (db.service === undefined) {
      this.skip(id, ErrorCode.InvalidBackend, unsupportedBackend(db));
      return;
    }
    const hostIds = this.hosts.map((h) => hostDefaultBackendId(this.namespace, this.name, h, db.service!.name));
    const failure = this.failure;
    const route = failure !== undefined ? { filters: NO_CALLS, backend: SHUNT, failure } : this.backendRoute(id, db.service);
    if (route === undefined) return;
    const catchAll = this.ann.predicates.length === 0;
    this.addCandidate('default', 'default|' + this.predicatesKey, undefined, catchAll, [{ id, predicates: this.ann.predicates, ...route }]);
    let i = 0;
    for (const host of this.hosts) {
      const predicates = joinCalls(this.ctx.calls.host(host), this.ann.predicates);
      this.addCandidate('host-default', ['host-default', host, this.predicatesKey].join('|'), host, catchAll, [{ id: hostIds[i++]!, predicates, ...route }]);
    }
  }
}

/**
 * The translation of the same Ingress after some of the Services it read changed, made from the
 * previous one when each of its Service backends resolves as before but for the backend itself
 * (its endpoints): still resolved or still not (for the same reason), still with or without
 * endpoints, with the same filters. Every decision of translateIngress() depends on the Services
 * only through those, so the routes are the previous ones with the new backends put in, route for
 * route what translateIngress() would give, and the rest (predicates, filters, ids, overlap keys,
 * problems) is kept as it is, objects included. Undefined when any resolution changed otherwise:
 * the Ingress must be translated again.
 */
export function rebindIngress(t: IngressTranslation, services: ServiceIndex): IngressTranslation | undefined {
  for (const s of t.services) {
    // A Service read without a resolution kept is one whose resolution threw, and the Ingress was
    // set aside for it: only a new translation tells what the Service gives now.
    if (s.stale && !t.backends.some((u) => u.state === s)) return undefined;
  }
  // (old backend, new backend) pairs; an Ingress has few backends
  let swaps: BackendDefinition[] | undefined;
  const backends: BackendUse[] = new Array<BackendUse>(t.backends.length);
  for (let i = 0; i < t.backends.length; i++) {
    const use = t.backends[i]!;
    const state = use.state.stale ? services.state(use.state.namespace, use.state.name) : use.state;
    const was = use.resolution;
    let now: Resolution;
    try {
      now = state === use.state ? was : resolveFromState(state, use.ref, use.settings);
    } catch {
      // A Service or slice of a shape resolution does not expect (read from a manifest): the
      // Ingress is translated again, which sets it aside with the error, as translate() does.
      // Thrown from here, it would stop the whole snapshot and freeze every listener's routes.
      return undefined;
    }
    let kept = was;
    if (now !== was) {
      if (!was.ok || !now.ok) {
        // both unresolved: the same problem reported, or a translation to report the new one
        if (was.ok || now.ok || was.reason !== now.reason) return undefined;
      } else {
        const a = was.value;
        const b = now.value;
        if (a.noEndpoints !== b.noEndpoints || !sameCalls(a.filters, b.filters)) return undefined;
        if (a.backend !== b.backend && !sameBackend(a.backend, b.backend)) {
          (swaps ??= []).push(a.backend, b.backend);
          kept = now;
        }
      }
    }
    backends[i] = state === use.state && kept === was ? use : { state, ref: use.ref, settings: use.settings, resolution: kept };
  }
  const current = t.services.map((s) => (s.stale ? services.state(s.namespace, s.name) : s));
  // object literals of the shape translateIngress() makes (a spread copy takes more memory)
  if (swaps === undefined) return { candidates: t.candidates, routes: t.routes, customRoutes: t.customRoutes, hosts: t.hosts, skipped: t.skipped, services: current, backends };
  const pairs = swaps;
  const rebind = (routes: readonly RouteDefinition[]): readonly RouteDefinition[] => {
    let out: RouteDefinition[] | undefined;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i]!;
      let at = 0;
      while (at < pairs.length && pairs[at] !== r.backend) at += 2;
      if (at === pairs.length) continue;
      out ??= routes.slice();
      out[i] = { id: r.id, predicates: r.predicates, filters: r.filters, backend: pairs[at + 1]! };
    }
    return out ?? routes;
  };
  // the candidates stay: only the route list is new
  return { candidates: t.candidates, routes: rebind(t.routes), customRoutes: t.customRoutes, hosts: t.hosts, skipped: t.skipped, services: current, backends };
}

const NO_CALLS: readonly Call[] = Object.freeze([]);

const SHUNT: BackendDefinition = Object.freeze({ type: 'shunt' });

/** The failure of every route of an Ingress with bad annotations: the first problem's code, every reason. */
function annotationFailure(object: string, problems: readonly AnnotationProblem[]): RouteFailure | undefined {
  if (problems.length === 0) return undefined;
  return Object.freeze({ code: problems[0]!.code, reason: `Ingress ${object}: ${problems.map((p) => p.reason).join('; ')}` });
}

/**
 * Call lists one after the other, sized exactly. Definitions are never changed once made, so
 * routes may share a list: an empty result is one shared array, and a single non-empty part is
 * returned as it is.
 */
function joinCalls(...parts: (readonly Call[])[]): readonly Call[] {
  let only: readonly Call[] | undefined;
  let several = false;
  for (const p of parts) {
    if (p.length === 0) continue;
    if (only === undefined) only = p;
    else several = true;
  }
  if (only === undefined) return NO_CALLS;
  return several ? ([] as Call[]).concat(...parts) : only;
}

function exact<T>(items: T[]): readonly T[] {
  return items.length === 0 ? (NO_ITEMS as readonly T[]) : items.slice();
}

const NO_ITEMS: readonly never[] = Object.freeze([]);

/** Identifies a path predicate (Path, PathSubtree and PathRegexp have one argument). */
function pathKey(predicate: Call | undefined): string {
  if (predicate === undefined) return '';
  const arg = predicate.args[0];
  return JSON.stringify([predicate.name, typeof arg === 'object' ? arg.regexp : arg]);
}

function isCatchAllPath(predicate: Call | undefined): boolean {
  return predicate === undefined || (predicate.name === 'PathSubtree' && predicate.args[0] === '/');
}

function unsupportedBackend(backend: IngressBackend): string {
  if (backend.resource !== undefined) {
    const r = backend.resource;
    return `resource backends are not supported (${r.apiGroup ? r.apiGroup + '/' : ''}${r.kind} ${r.name})`;
  }
  return 'backend names no service';
}
