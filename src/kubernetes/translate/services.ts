/**
 * Service resolution: an Ingress backend (Service name and port) becomes a route backend. The
 * Service port is found by number or name, its endpoints are gathered from every EndpointSlice
 * labelled with the Service's name, and only ready, non-terminating endpoints are kept.
 * One endpoint gives a network backend, several a load-balanced one (sorted, so output is
 * stable), none a local 502 "no endpoints" answer, as Skipper does. An ExternalName Service is
 * reached by its name only when the policy allows it (off by default, as in Skipper).
 */
import { ErrorCode, SkiffError } from '../../errors.js';
import { serviceShapeProblem } from './service-shape.js';
import type { BackendDefinition, Call } from '../../eskip/definition.js';
import { SERVICE_NAME_LABEL } from '../objects.js';
import type { EndpointSlice, IngressServiceBackend, Service, ServicePort } from '../objects.js';
import { sameData } from './same-data.js';

/**
 * One Service as translation sees it: the Service object (undefined when it does not exist) and
 * its EndpointSlices, with the backends resolved from them. A state is replaced, and marked
 * stale, when the Service or one of its slices changes; until then every snapshot gets the same
 * state object, so a translation that recorded the states it read still holds while none of them
 * is stale, and resolutions are not repeated.
 */
export class ServiceState {
  /**
   * Resolutions by port and backend settings: many paths share one Service, nearly always with one
   * of each. Replaced, sized exactly, when one is added (a pushed-to array keeps room for 16).
   */
  resolved: readonly ResolvedPort[] = NO_RESOLUTIONS;
  /** Set once the Service or its slices changed: a newer state stands for it now. */
  stale = false;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly service: Service | undefined,
    readonly slices: readonly EndpointSlice[],
  ) {}
}

const NO_SLICES: readonly EndpointSlice[] = Object.freeze([]);

const NO_RESOLUTIONS: readonly never[] = Object.freeze([]);

/**
 * The Services and EndpointSlices of a snapshot by `namespace/name`, kept across snapshots. Each
 * update() compares the new lists with the previous ones: a list that is the same array costs
 * nothing, one with objects replaced in place (the usual watch event) costs one comparison per
 * object, and only a list whose length changed is read again in full.
 */
export class ServiceIndex {
  private services = new Map<string, Service>();
  private slices = new Map<string, readonly EndpointSlice[]>();
  private serviceList: readonly Service[] = [];
  private sliceList: readonly EndpointSlice[] = [];
  /** The current state of every Service asked for; stale ones are removed. */
  private states = new Map<string, ServiceState>();

  constructor(services: readonly Service[] = [], endpointSlices: readonly EndpointSlice[] = []) {
    this.update(services, endpointSlices);
  }

  /** Takes the objects of a new snapshot and marks the states of the Services that changed stale. */
  update(services: readonly Service[], endpointSlices: readonly EndpointSlice[]): void {
    let changed: Set<string> | null = new Set();
    if (services !== this.serviceList) {
      if (!this.replaceServices(services, changed)) changed = null;
      this.serviceList = services;
    }
    if (endpointSlices !== this.sliceList) {
      if (changed === null || !this.replaceSlices(endpointSlices, changed)) {
        changed = null;
        this.indexSlices(endpointSlices);
      }
      this.sliceList = endpointSlices;
    }
    if (changed === null) {
      this.services = new Map();
      for (const svc of services) this.services.set(key(svc.metadata.namespace, svc.metadata.name), svc);
      for (const [k, state] of this.states) {
        if (state.service !== this.services.get(k) || !sameItems(state.slices, this.slices.get(k) ?? NO_SLICES)) this.retire(k, state);
      }
    } else {
      for (const k of changed) {
        const state = this.states.get(k);
        if (state !== undefined) this.retire(k, state);
      }
    }
  }

  /** The current state of a Service; the same object as last time when nothing about it changed. */
  state(namespace: string, name: string): ServiceState {
    const k = key(namespace, name);
    let state = this.states.get(k);
    if (state === undefined) {
      state = new ServiceState(namespace, name, this.services.get(k), this.slices.get(k) ?? NO_SLICES);
      this.states.set(k, state);
    }
    return state;
  }

  /** Forgets the states not in `used` (Services no Ingress refers to any more). */
  retain(used: ReadonlySet<ServiceState>): void {
    for (const [k, state] of this.states) if (!used.has(state)) this.states.delete(k);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services.get(key(namespace, name));
  }

  endpointSlices(namespace: string, service: string): readonly EndpointSlice[] {
    return this.slices.get(key(namespace, service)) ?? NO_SLICES;
  }

  /**
   * Marks a state stale and puts the Service's new state in its place: the Ingresses that read it
   * ask again at once. Replacing the entry, rather than deleting it and adding it back when asked,
   * leaves the Map nothing to rehash when every Service changed.
   */
  private retire(k: string, state: ServiceState): void {
    state.stale = true;
    this.states.set(k, new ServiceState(state.namespace, state.name, this.services.get(k), this.slices.get(k) ?? NO_SLICES));
  }

  /** Services replaced in place (same length, same names at the same positions); false when it is not that. */
  private replaceServices(next: readonly Service[], changed: Set<string>): boolean {
    const prev = this.serviceList;
    if (prev.length !== next.length) return false;
    const updates: [string, Service, Service][] = [];
    for (let i = 0; i < next.length; i++) {
      const a = prev[i]!;
      const b = next[i]!;
      if (a === b) continue;
      const k = key(b.metadata.namespace, b.metadata.name);
      if (k !== key(a.metadata.namespace, a.metadata.name)) return false;
      updates.push([k, b, a]);
    }
    for (const [k, svc, old] of updates) {
      // of two objects of one name the later one counts: a change to the one it hides changes nothing
      if (this.services.get(k) !== old) continue;
      this.services.set(k, svc);
      // an equal object (manifests read again) leaves the state as it is
      if (!sameData(old.spec, svc.spec)) changed.add(k);
    }
    return true;
  }

  /** Slices replaced in place, each still owned by the same Service; false when it is not that. */
  private replaceSlices(next: readonly EndpointSlice[], changed: Set<string>): boolean {
    const prev = this.sliceList;
    if (prev.length !== next.length) return false;
    const updates: [string, EndpointSlice, EndpointSlice][] = [];
    for (let i = 0; i < next.length; i++) {
      const a = prev[i]!;
      const b = next[i]!;
      if (a === b) continue;
      const owner = ownerKey(b);
      if (owner !== ownerKey(a)) return false;
      if (owner !== undefined) updates.push([owner, a, b]);
    }
    for (const [k, a, b] of updates) {
      // States hold the lists they were made from: replace, never change, a list.
      const list = this.slices.get(k) ?? NO_SLICES;
      const at = list.indexOf(a);
      if (at === -1 || list.lastIndexOf(a) !== at) return false;
      const copy = list.slice();
      copy[at] = b;
      this.slices.set(k, copy);
      if (!sameData(a.ports, b.ports) || !sameData(a.endpoints, b.endpoints)) changed.add(k);
    }
    return true;
  }

  private indexSlices(endpointSlices: readonly EndpointSlice[]): void {
    const slices = new Map<string, EndpointSlice[]>();
    for (const slice of endpointSlices) {
      const k = ownerKey(slice);
      if (k === undefined) continue;
      const list = slices.get(k);
      if (list === undefined) slices.set(k, [slice]);
      else list.push(slice);
    }
    this.slices = slices;
  }
}

function ownerKey(slice: EndpointSlice): string | undefined {
  const owner = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return owner === undefined ? undefined : key(slice.metadata.namespace, owner);
}

/** Joined, not concatenated: a flat string hashes without being copied first, and stays small as a Map key. */
function key(namespace: string | undefined, name: string): string {
  return [namespace ?? 'default', name].join('/');
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface BackendSettings {
  /** `http` or `https`. */
  readonly scheme: string;
  /** The load-balancing algorithm for several endpoints. */
  readonly algorithm: string;
  /** One object per translator: resolutions are kept per policy by identity. */
  readonly externalNames: ExternalNamePolicy;
}

/**
 * Which ExternalName Services a route may reach (Skipper's `-enable-kubernetes-external-names`,
 * `-kubernetes-only-allowed-external-names` and `-kubernetes-allowed-external-name`). Any
 * namespace can create such a Service and point it anywhere, so it is off unless turned on.
 */
export interface ExternalNamePolicy {
  readonly enabled: boolean;
  /** Patterns one of which the name must match; null: any name. */
  readonly allowed: readonly RegExp[] | null;
}

export const EXTERNAL_NAMES_OFF: ExternalNamePolicy = Object.freeze({ enabled: false, allowed: null });

/** The policy of the translate options; patterns given as text are compiled here. */
export function externalNamePolicy(options: {
  readonly externalNames?: boolean;
  readonly onlyAllowedExternalNames?: boolean;
  readonly allowedExternalNames?: readonly (RegExp | string)[];
}): ExternalNamePolicy {
  if (options.externalNames !== true) return EXTERNAL_NAMES_OFF;
  if (options.onlyAllowedExternalNames !== true) return { enabled: true, allowed: null };
  const allowed = (options.allowedExternalNames ?? []).map((p) => {
    // without g or y: test() of such a pattern carries lastIndex from one name to the next
    if (typeof p !== 'string') return p.global || p.sticky ? new RegExp(p.source, p.flags.replace(/[gy]/g, '')) : p;
    try {
      return new RegExp(p, 'u');
    } catch (err) {
      throw new SkiffError(ErrorCode.InvalidOption, `allowed external name "${p}": ${(err as Error).message}`);
    }
  });
  return { enabled: true, allowed };
}

/** A resolved backend, with the filters it needs (the 502 answer, the ExternalName Host). */
export interface ResolvedBackend {
  readonly backend: BackendDefinition;
  readonly filters: readonly Call[];
  /** True for the local 502 answer: annotation filters are not put in front of it. */
  readonly noEndpoints: boolean;
}

/**
 * Unresolved: the reason, with a code when it is not SKIFF_ERR_INVALID_BACKEND, and the route to
 * answer with when the path must not be left to other routes (which may be less protected).
 */
export type Resolution =
  | { readonly ok: true; readonly value: ResolvedBackend }
  | { readonly ok: false; readonly reason: string; readonly code?: ErrorCode; readonly answer?: LocalAnswer };

/** A backend answered by skiff itself, and its filters. */
export interface LocalAnswer {
  readonly backend: BackendDefinition;
  readonly filters: readonly Call[];
}

/** The filters of a backend that needs none: one list for every Service. */
const NO_FILTERS: readonly Call[] = Object.freeze([]);

/**
 * What the path of an ExternalName skiff will not reach answers: 404, as the path would in Skipper,
 * which leaves the route out. Left out here, the request could match a wider route of the host.
 */
const REFUSED: LocalAnswer = Object.freeze({ backend: Object.freeze({ type: 'shunt' as const }), filters: NO_FILTERS });

const NO_ENDPOINTS: ResolvedBackend = {
  backend: { type: 'shunt' },
  filters: [
    { name: 'status', args: [502] },
    { name: 'inlineContent', args: ['no endpoints'] },
  ],
  noEndpoints: true,
};

export function resolveServiceBackend(
  index: ServiceIndex,
  namespace: string,
  ref: IngressServiceBackend,
  settings: BackendSettings,
): Resolution {
  return resolveFromState(index.state(namespace, ref.name), ref, settings);
}

/** One resolution of a ServiceState: the port asked for, the settings, the result. */
interface ResolvedPort {
  readonly portName: string | undefined;
  readonly portNumber: number | undefined;
  readonly scheme: string;
  readonly algorithm: string;
  readonly externalNames: ExternalNamePolicy;
  readonly resolution: Resolution;
}

/** The backend of one Service port with these settings, resolved once per ServiceState. */
export function resolveFromState(state: ServiceState, ref: IngressServiceBackend, settings: BackendSettings): Resolution {
  const portName = ref.port?.name;
  const portNumber = ref.port?.number;
  // A short list compared field by field: no key string to build and hash for every path.
  for (const r of state.resolved) {
    if (r.portName === portName && r.portNumber === portNumber && r.scheme === settings.scheme && r.algorithm === settings.algorithm && r.externalNames === settings.externalNames) {
      return r.resolution;
    }
  }
  const resolution = resolve(state, ref, settings);
  const r: ResolvedPort = { portName, portNumber, scheme: settings.scheme, algorithm: settings.algorithm, externalNames: settings.externalNames, resolution };
  state.resolved = state.resolved.length === 0 ? [r] : [...state.resolved, r];
  return resolution;
}

function resolve(state: ServiceState, ref: IngressServiceBackend, settings: BackendSettings): Resolution {
  const namespace = state.namespace;
  const svc = state.service;
  if (svc === undefined) return { ok: false, reason: `service ${namespace}/${ref.name} not found` };
  const problem = serviceShapeProblem(svc, state.slices);
  if (problem !== null) return { ok: false, reason: `service ${namespace}/${ref.name} cannot be read: ${problem}` };
  const wanted = describePort(ref);
  if (svc.spec?.type === 'ExternalName') return externalName(svc, ref, wanted, settings);
  const port = findServicePort(svc, ref);
  if (port === undefined) return { ok: false, reason: `service ${namespace}/${ref.name} has no port ${wanted}` };
  const endpoints = readyEndpoints(state.slices, port, settings.scheme);
  if (endpoints.length === 0) return { ok: true, value: NO_ENDPOINTS };
  if (endpoints.length === 1) return { ok: true, value: { backend: { type: 'network', address: endpoints[0]! }, filters: NO_FILTERS, noEndpoints: false } };
  return {
    ok: true,
    value: { backend: { type: 'lb', algorithm: settings.algorithm, endpoints }, filters: NO_FILTERS, noEndpoints: false },
  };
}

function describePort(ref: IngressServiceBackend): string {
  if (ref.port?.name) return `"${ref.port.name}"`;
  if (ref.port?.number !== undefined) return String(ref.port.number);
  return '(none given)';
}

/** By name when the Ingress names the port, else by number; a Service with one port needs neither. */
function findServicePort(svc: Service, ref: IngressServiceBackend): ServicePort | undefined {
  const ports = svc.spec?.ports ?? [];
  if (ref.port?.name) return ports.find((p) => p.name === ref.port?.name);
  if (ref.port?.number !== undefined) return ports.find((p) => p.port === ref.port?.number);
  return ports.length === 1 ? ports[0] : undefined;
}

/**
 * An ExternalName Service: its name and port, with the name as Host (the external host expects its
 * own name, not the Ingress host), over https on port 443, as Skipper builds it. Every way it can
 * fail answers 404 on the path: the Ingress meant the path for that name, not for other routes.
 */
function externalName(svc: Service, ref: IngressServiceBackend, wanted: string, settings: BackendSettings): Resolution {
  const service = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
  const policy = settings.externalNames;
  const given = svc.spec?.externalName ?? '';
  // Skipper's wording, so an operator coming from Skipper finds the same words at /routes?invalid
  if (!policy.enabled) {
    return refused(`ingress is not enabled to reference external name service ${service} ("${given}"): see --enable-kubernetes-external-names`);
  }
  const host = given.trim().toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(host)) {
    return { ok: false, reason: `service ${service} has an invalid externalName "${given}"`, answer: REFUSED };
  }
  if (policy.allowed !== null && !policy.allowed.some((p) => p.test(host))) {
    return refused(`ingress with not allowed external name service ${service}: "${host}" matches no --kubernetes-allowed-external-name`);
  }
  // Skipper dials the target port. An ExternalName Service may list no ports: the Ingress's port
  // number is then the port.
  const port = externalPort(findServicePort(svc, ref)) ?? ref.port?.number;
  if (port === undefined) return { ok: false, reason: `service ${service} has no port ${wanted}`, answer: REFUSED };
  const scheme = port === 443 ? 'https' : settings.scheme;
  return {
    ok: true,
    value: {
      backend: { type: 'network', address: `${scheme}://${host}:${port}` },
      filters: [{ name: 'setRequestHeader', args: ['Host', host] }],
      noEndpoints: false,
    },
  };
}

function refused(reason: string): Resolution {
  return { ok: false, reason, code: ErrorCode.ExternalNameNotAllowed, answer: REFUSED };
}

/** The target port when it is a number (the API server sets it to the port when left out), else the port. */
function externalPort(port: ServicePort | undefined): number | undefined {
  if (port === undefined) return undefined;
  return typeof port.targetPort === 'number' ? port.targetPort : port.port;
}

/**
 * The `scheme://address:port` of every ready endpoint. A slice's port belongs to the Service port
 * of the same name (an unnamed Service port matches the unnamed slice port); the slice port's number
 * is the resolved target port. Ready means `ready` is not false (absent counts as ready) and
 * `terminating` is not true.
 */
export function readyEndpoints(slices: readonly EndpointSlice[], port: ServicePort, scheme: string): string[] {
  const portName = port.name ?? '';
  const seen = new Set<string>();
  for (const slice of slices) {
    const slicePort = slice.ports?.find((p) => (p.name ?? '') === portName);
    let target = slicePort?.port;
    if (target === undefined && typeof port.targetPort === 'number') target = port.targetPort;
    if (target === undefined && port.targetPort === undefined) target = port.port;
    if (target === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false || ep.conditions?.terminating === true) continue;
      for (const address of ep.addresses) seen.add(`${scheme}://${formatHost(address)}:${target}`);
    }
  }
  // Array.from sizes the array exactly; the list is kept by every route to the Service
  return Array.from(seen).sort(naturalOrder);
}

/** `10.0.0.2` before `10.0.0.10`: digit runs compare by value, the rest by code unit. */
export function naturalOrder(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // without leading zeros, the longer run is the larger number
      if (ei - i !== ej - j) return ei - i - (ej - j);
      for (; i < ei; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d;
      }
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function formatHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
