/**
 * translate() for a stream of snapshots with fixed options, doing only the work a change calls
 * for. Each Ingress keeps its translation while its spec and annotations and the Services it reads
 * (object and EndpointSlices) stay the same. When only the endpoints of its Services changed, in a
 * way that reaches nothing but its backends (see rebindIngress), it is not translated again: its
 * routes are the previous ones with the new backends, predicates and filters the same objects,
 * so that the table build can keep their compiled predicates and filters too. Otherwise it is
 * translated again; an equal result keeps the previous route objects, so that later stages can
 * tell unchanged routes by identity.
 *
 * When the served Ingresses are the same ones, in the same order and of the same age, and every
 * Ingress translated again produced routes with the same ids, matches and problems as before (an
 * endpoint change), overlaps, catch-alls and order cannot have changed either: the previous result
 * is kept with the new route objects put in place of the old ones. Otherwise the translations are
 * merged afresh. Either way the result is what translate() gives for the snapshot.
 */
import type { RouteDefinition } from '../../eskip/definition.js';
import type { Ingress, IngressClass } from '../objects.js';
import { rebindIngress, translateIngress } from './ingress.js';
import type { IngressContext, IngressTranslation } from './ingress.js';
import { sameData } from './same-data.js';
import { ServiceIndex } from './services.js';
import type { ServiceState } from './services.js';
import { byPrecedence, classMatcher, createdAt, ingressContext, merge, refKey } from './translate.js';
import type { TranslatedIngress } from './translate.js';
import type { ClusterSnapshot, TranslateOptions, TranslationResult } from './types.js';

/** One served Ingress's translation and the Services it read, as they were. */
interface Memo extends TranslatedIngress {
  readonly services: readonly ServiceState[];
}

/** What the previous snapshot gave, to compare the next one with. */
interface Previous {
  /** The snapshot's Ingress list, and its memo at each position (null: not served). */
  readonly ingresses: readonly Ingress[];
  readonly memos: readonly (Memo | null)[];
  /** The served Ingresses in snapshot order. */
  readonly served: readonly Memo[];
  readonly result: TranslationResult;
  /**
   * Where the route of each id is in `result.routes`, built when first needed. The results put
   * in place keep the ids at their positions, so they share it.
   */
  positions: Map<string, number> | null;
  byObject: Map<Ingress, Memo> | null;
  byKey: Map<string, Memo> | null;
}

/** What the last translate() did. */
export interface TranslatorStats {
  /** Ingresses translated (the others kept their translation, or had their backends replaced). */
  readonly translated: number;
  /** Ingresses whose routes only got new backends (see rebindIngress). */
  readonly rebound: number;
  readonly reused: number;
  /** Whether the translations were merged afresh, rather than put in place in the previous result. */
  readonly merged: boolean;
}

export class ClusterTranslator {
  private readonly services = new ServiceIndex();
  private readonly ctx: IngressContext;
  private classes: readonly IngressClass[] | undefined;
  private isServed: (ingress: Ingress) => boolean = () => false;
  private last: Previous | undefined;
  private counts: TranslatorStats = { translated: 0, rebound: 0, reused: 0, merged: false };
  private translatedNow = 0;
  private reboundNow = 0;

  constructor(private readonly options: TranslateOptions = {}) {
    this.ctx = ingressContext(options, this.services);
  }

  get stats(): TranslatorStats {
    return this.counts;
  }

  translate(snapshot: ClusterSnapshot): TranslationResult {
    const prev = this.last;
    let servedChanged = false;
    if (snapshot.ingressClasses !== this.classes) {
      // A provider may bring an equal list as a new array (manifests read again).
      if (this.classes === undefined || !sameData(snapshot.ingressClasses, this.classes)) {
        this.isServed = classMatcher(this.options, snapshot.ingressClasses);
        servedChanged = true;
      }
      this.classes = snapshot.ingressClasses;
    }
    this.services.update(snapshot.services, snapshot.endpointSlices);
    this.ctx.calls.rotate();
    this.translatedNow = 0;
    this.reboundNow = 0;

    const all = snapshot.ingresses;
    // Translations do not depend on the classes, only which Ingresses are served does: after a
    // class change every Ingress is asked again, but keeps its translation.
    const aligned = prev !== undefined && !servedChanged && prev.ingresses.length === all.length ? prev : undefined;
    const memos: (Memo | null)[] = new Array<Memo | null>(all.length);
    const served: Memo[] = [];
    const changed: [IngressTranslation, IngressTranslation][] = [];
    for (let i = 0; i < all.length; i++) {
      const ingress = all[i]!;
      // hot path of a rebuild: the same object at the same place, decided before
      const same = aligned !== undefined && aligned.ingresses[i] === ingress;
      const known = same ? aligned.memos[i]! : null;
      if (same && known === null) {
        memos[i] = null;
        continue;
      }
      if (!same && !this.isServed(ingress)) {
        memos[i] = null;
        continue;
      }
      const old = known ?? (prev === undefined ? undefined : this.previousMemo(prev, ingress));
      const m = this.memoFor(ingress, old);
      if (old !== undefined && m.translation !== old.translation) changed.push([old.translation, m.translation]);
      memos[i] = m;
      served.push(m);
    }

    let result: TranslationResult;
    let positions: Map<string, number> | null = null;
    const inPlace = prev !== undefined && sameSequence(prev.served, served) && changed.every(([a, b]) => sameShape(a, b));
    if (prev !== undefined && inPlace) {
      positions = prev.positions ?? indexRoutes(prev.result.routes);
      const routes = prev.result.routes.slice();
      for (const [a, b] of changed) replaceRoutes(a, b, routes, positions);
      result = { routes, skipped: prev.result.skipped.slice(), served: prev.result.served.slice() };
    } else {
      result = merge(byPrecedence(served.slice()), this.options);
      const used = new Set<ServiceState>();
      for (const m of served) for (const s of m.services) used.add(s);
      this.services.retain(used);
    }
    this.last = { ingresses: all, memos, served, result, positions, byObject: null, byKey: null };
    this.counts = { translated: this.translatedNow, rebound: this.reboundNow, reused: served.length - this.translatedNow - this.reboundNow, merged: !inPlace };
    return result;
  }

  /** The previous memo of an Ingress found at another position: by object, else by namespace/name. */
  private previousMemo(prev: Previous, ingress: Ingress): Memo | undefined {
    if (prev.byObject === null) {
      prev.byObject = new Map();
      for (const m of prev.served) prev.byObject.set(m.ingress, m);
    }
    const found = prev.byObject.get(ingress);
    if (found !== undefined) return found;
    if (prev.byKey === null) {
      prev.byKey = new Map();
      // of two objects with one name (possible from manifests), the first is remembered
      for (const m of prev.served) if (!prev.byKey.has(m.object)) prev.byKey.set(m.object, m);
    }
    return prev.byKey.get(refKey(ingress));
  }

  private memoFor(ingress: Ingress, old: Memo | undefined): Memo {
    const sameIngress = old !== undefined && (old.ingress === ingress || sameInputs(old.ingress, ingress));
    if (old !== undefined && sameIngress) {
      const age = (): number => (old.ingress === ingress || sameData(old.ingress.metadata.creationTimestamp, ingress.metadata.creationTimestamp) ? old.createdAt : createdAt(ingress));
      if (old.services.every((s) => !s.stale)) return old.ingress === ingress ? old : { ...old, ingress, createdAt: age() };
      const rebound = rebindIngress(old.translation, this.services);
      if (rebound !== undefined) {
        this.reboundNow++;
        return { ingress, object: old.object, createdAt: age(), translation: rebound, services: rebound.services };
      }
    }
    this.translatedNow++;
    const t = translateIngress(ingress, this.ctx);
    // An equal result keeps the previous objects: later stages compare routes by identity first.
    const translation = old !== undefined && sameTranslation(old.translation, t) ? old.translation : t;
    return { ingress, object: old?.object ?? refKey(ingress), createdAt: createdAt(ingress), translation, services: t.services };
  }
}

/** What translateIngress() reads of an Ingress: the rest (status, managedFields, versions) does not matter. */
function sameInputs(a: Ingress, b: Ingress): boolean {
  return (
    a.metadata.namespace === b.metadata.namespace &&
    a.metadata.name === b.metadata.name &&
    sameData(a.metadata.annotations, b.metadata.annotations) &&
    sameData(a.spec, b.spec)
  );
}

function sameTranslation(a: IngressTranslation, b: IngressTranslation): boolean {
  return sameData(a.candidates, b.candidates) && sameData(a.routes, b.routes) && sameData(a.customRoutes, b.customRoutes) && sameData(a.hosts, b.hosts) && sameData(a.skipped, b.skipped);
}

/** The same Ingresses in the same order with the same age: precedence between them is unchanged. */
function sameSequence(a: readonly Memo[], b: readonly Memo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.object !== y.object || x.createdAt !== y.createdAt)) return false;
  }
  return true;
}

/**
 * Two translations of one Ingress that settle overlaps, catch-alls, duplicate ids and order the
 * same way: the same groups (kind, match key, host, catch-all) with the same route ids, the same
 * custom route ids, hosts and problems. Only the routes' filters and backends may differ.
 */
function sameShape(a: IngressTranslation, b: IngressTranslation): boolean {
  if (a.candidates.length !== b.candidates.length || a.customRoutes.length !== b.customRoutes.length) return false;
  for (let i = 0; i < a.candidates.length; i++) {
    const x = a.candidates[i]!;
    const y = b.candidates[i]!;
    if (x !== y && (x.kind !== y.kind || x.key !== y.key || x.host !== y.host || x.catchAll !== y.catchAll || x.first !== y.first || x.count !== y.count)) return false;
  }
  return sameIds(a.routes, b.routes) && sameIds(a.customRoutes, b.customRoutes) && sameData(a.hosts, b.hosts) && sameData(a.skipped, b.skipped);
}

function sameIds(a: readonly RouteDefinition[], b: readonly RouteDefinition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id) return false;
  return true;
}

/** Route ids are unique in a result (merge() keeps the first route of an id). */
function indexRoutes(routes: readonly RouteDefinition[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (let i = 0; i < routes.length; i++) positions.set(routes[i]!.id, i);
  return positions;
}

/**
 * Puts the routes of `b` where those of `a` (same shape) are in the result; routes left out stay
 * out: the position of an id holds a route of `a` only if that route won its id.
 */
function replaceRoutes(a: IngressTranslation, b: IngressTranslation, routes: RouteDefinition[], positions: Map<string, number>): void {
  const put = (from: readonly RouteDefinition[], to: readonly RouteDefinition[]): void => {
    for (let i = 0; i < from.length; i++) {
      const route = from[i]!;
      if (route === to[i]) continue;
      const at = positions.get(route.id);
      if (at === undefined || routes[at] !== route) continue;
      routes[at] = to[i]!;
    }
  };
  // same shape: the candidates take the same places in both route lists
  put(a.routes, b.routes);
  put(a.customRoutes, b.customRoutes);
}
