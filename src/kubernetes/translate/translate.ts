/**
 * Cluster snapshot → route definitions, for one listener's ingress classes. Pure: the same snapshot
 * and options always give the same, sorted result.
 *
 * Overlaps are settled deterministically: when two Ingresses (or two rules of one Ingress) produce
 * the same match (host, path and predicates), the oldest Ingress wins (metadata.creationTimestamp),
 * then the first by namespace/name, then the first rule in spec order; every route of the losing
 * group is reported in `skipped`.
 *
 * Host scoping: every host named by a served rule gets a per-host catch-all, either the default
 * backend of an Ingress that names the host or a local 404 (`kube___catchall__<host>____`). The
 * matcher looks at a host's own routes first (exact host, then one-label wildcard, then host-less
 * routes) and stops at the first that matches, so with the catch-all a known host is closed: its
 * misses never reach a wildcard host's routes, host-less rules, or another Ingress's host-less
 * default backend. Host-less rules and default backends thus serve the hosts no rule names, as
 * in ingress-nginx's default server. A default backend is dropped where a rule already covers its
 * whole host, since rules come first.
 */
import type { RouteDefinition } from '../../eskip/definition.js';
import { ErrorCode } from '../../errors.js';
import type { Ingress, IngressClass } from '../objects.js';
import { createClassMatcher, DEFAULT_INGRESS_CLASS } from './classes.js';
import { healthcheckRoutes } from './healthcheck.js';
import { hostPredicate } from './hosts.js';
import { catchAllId } from './ids.js';
import { translateIngress } from './ingress.js';
import type { Candidate, IngressContext, IngressTranslation } from './ingress.js';
import { SharedCalls } from './shared-calls.js';
import { externalNamePolicy, ServiceIndex } from './services.js';
import type { ClusterSnapshot, IngressRef, SkippedObject, TranslateOptions, TranslationResult } from './types.js';

interface Winner {
  readonly candidate: Candidate;
  /** The route list of its translation. */
  readonly routes: readonly RouteDefinition[];
  readonly object: string;
  readonly createdAt: number;
}

/** One served Ingress, translated. */
export interface TranslatedIngress {
  readonly ingress: Ingress;
  /** `namespace/name`. */
  readonly object: string;
  /** See {@link createdAt}. */
  readonly createdAt: number;
  readonly translation: IngressTranslation;
}

export function translate(snapshot: ClusterSnapshot, options: TranslateOptions = {}): TranslationResult {
  const isServed = classMatcher(options, snapshot.ingressClasses);
  const ctx = ingressContext(options, new ServiceIndex(snapshot.services, snapshot.endpointSlices));
  const translated: TranslatedIngress[] = [];
  for (const ingress of snapshot.ingresses) {
    if (!isServed(ingress)) continue;
    translated.push({ ingress, object: refKey(ingress), createdAt: createdAt(ingress), translation: translateIngress(ingress, ctx) });
  }
  return merge(byPrecedence(translated), options);
}

export function classMatcher(options: TranslateOptions, ingressClasses: readonly IngressClass[]): (ingress: Ingress) => boolean {
  return createClassMatcher({
    classes: options.ingressClasses ?? [DEFAULT_INGRESS_CLASS],
    ingressClasses,
    ...(options.controllers !== undefined && { controllers: options.controllers }),
    ...(options.acceptDefaultClass !== undefined && { acceptDefaultClass: options.acceptDefaultClass }),
    ...(options.acceptClassless !== undefined && { acceptClassless: options.acceptClassless }),
  });
}

export function ingressContext(options: TranslateOptions, services: ServiceIndex): IngressContext {
  return {
    services,
    pathMode: options.pathMode ?? 'kubernetes-ingress',
    defaultLoadBalancer: options.defaultLoadBalancer ?? 'roundRobin',
    externalNames: externalNamePolicy(options),
    defaultFilters: options.defaultFilters ?? {},
    calls: new SharedCalls(),
  };
}

/** The Ingresses' translations, in precedence order, → the listener's routes: overlaps settled, catch-alls added, sorted. */
export function merge(ingresses: readonly TranslatedIngress[], options: TranslateOptions): TranslationResult {
  const skipped: SkippedObject[] = [];
  const winners = new Map<string, Winner>();
  const hosts = new Set<string>();
  const custom: { route: RouteDefinition; object: string }[] = [];
  for (const { object, createdAt: created, translation: t } of ingresses) {
    skipped.push(...t.skipped);
    for (const h of t.hosts) hosts.add(h);
    for (const route of t.customRoutes) custom.push({ route, object });
    for (const candidate of t.candidates) {
      const winner = winners.get(candidate.key);
      if (winner === undefined) {
        winners.set(candidate.key, { candidate, routes: t.routes, object, createdAt: created });
        continue;
      }
      const first = winner.routes[winner.candidate.first]!.id;
      const reason =
        winner.object === object
          ? `repeats the match of route ${first} in the same ingress; the first rule wins`
          : `overlaps route ${first} of ingress ${winner.object} (same host, path and predicates); ${
              winner.createdAt === created ? 'at equal age the first by namespace/name wins' : 'the older ingress wins'
            }`;
      for (let i = candidate.first; i < candidate.first + candidate.count; i++) {
        skipped.push({ id: t.routes[i]!.id, object, kind: 'Ingress', code: ErrorCode.InvalidRoute, reason });
      }
    }
  }

  // Hosts ('' for host-less) that a rule covers entirely: default backends there are unreachable.
  const coveredByRule = new Set<string>();
  for (const { candidate } of winners.values()) if (candidate.kind === 'rule' && candidate.catchAll) coveredByRule.add(candidate.host ?? '');

  const emitted: { route: RouteDefinition; object: string | undefined }[] = [];
  const hasCatchAll = new Set(coveredByRule);
  for (const { candidate, routes, object } of winners.values()) {
    if (candidate.kind !== 'rule' && coveredByRule.has(candidate.host ?? '')) continue;
    if (candidate.catchAll) hasCatchAll.add(candidate.host ?? '');
    for (let i = candidate.first; i < candidate.first + candidate.count; i++) emitted.push({ route: routes[i]!, object });
  }
  for (const c of custom) emitted.push(c);
  if (options.catchAllRoutes ?? true) {
    for (const host of hosts) {
      if (hasCatchAll.has(host)) continue;
      emitted.push({ route: { id: catchAllId(host), predicates: [hostPredicate(host)], filters: [], backend: { type: 'shunt' } }, object: undefined });
    }
  }
  if (options.healthcheck ?? true) {
    for (const route of healthcheckRoutes(options.healthcheckSources)) emitted.push({ route, object: undefined });
  }

  const routes: RouteDefinition[] = [];
  const ids = new Set<string>();
  for (const { route, object } of emitted) {
    if (ids.has(route.id)) {
      if (object !== undefined) skipped.push({ id: route.id, object, kind: 'Ingress', code: ErrorCode.InvalidRoute, reason: 'duplicate route id; the first route with this id is kept' });
      continue;
    }
    ids.add(route.id);
    routes.push(route);
  }

  routes.sort((a, b) => compare(a.id, b.id));
  skipped.sort((a, b) => compare(a.object, b.object) || compare(a.id ?? '', b.id ?? '') || compare(a.reason, b.reason));
  const served: IngressRef[] = ingresses
    .map((m) => ({ namespace: m.ingress.metadata.namespace ?? 'default', name: m.ingress.metadata.name }))
    .sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name));
  return { routes, skipped, served };
}

export function refKey(ingress: Ingress): string {
  return [ingress.metadata.namespace ?? 'default', ingress.metadata.name].join('/');
}

/** Oldest first; an Ingress without creation time counts as the newest. Then namespace, then name. */
export function byPrecedence<T extends TranslatedIngress>(ingresses: T[]): T[] {
  const keyed = ingresses.map((m) => ({ m, ns: m.ingress.metadata.namespace ?? 'default' }));
  keyed.sort((a, b) => a.m.createdAt - b.m.createdAt || compare(a.ns, b.ns) || compare(a.m.ingress.metadata.name, b.m.ingress.metadata.name));
  return keyed.map((k) => k.m);
}

export function createdAt(ingress: Ingress): number {
  const t = ingress.metadata.creationTimestamp;
  if (t === undefined) return Number.MAX_SAFE_INTEGER;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}

/** Code-unit order, independent of locale, so output is identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
