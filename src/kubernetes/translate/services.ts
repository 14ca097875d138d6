/**
 * Service resolution: an Ingress backend (Service name and port) becomes a route backend. The
 * Service port is found by number or name, its endpoints are gathered from every EndpointSlice
 * labelled with the Service's name, and only ready, non-terminating endpoints are kept.
 * One endpoint gives a network backend, several a load-balanced one (sorted, so output is
 * stable), none a local 502 "no endpoints" answer, as Skipper does.
 */
import type { BackendDefinition, Call } from '../../eskip/definition.js';
import { SERVICE_NAME_LABEL } from '../objects.js';
import type { EndpointSlice, IngressServiceBackend, Service, ServicePort } from '../objects.js';

export class ServiceIndex {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice[]>();
  /** Resolutions by Service, port and settings: many paths share one Service. */
  readonly resolved = new Map<string, Resolution>();

  constructor(services: readonly Service[], endpointSlices: readonly EndpointSlice[]) {
    for (const svc of services) this.services.set(key(svc.metadata.namespace, svc.metadata.name), svc);
    for (const slice of endpointSlices) {
      const owner = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (owner === undefined) continue;
      const k = key(slice.metadata.namespace, owner);
      const list = this.slices.get(k);
      if (list === undefined) this.slices.set(k, [slice]);
      else list.push(slice);
    }
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services.get(key(namespace, name));
  }

  endpointSlices(namespace: string, service: string): readonly EndpointSlice[] {
    return this.slices.get(key(namespace, service)) ?? [];
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'default'}/${name}`;
}

export interface BackendSettings {
  /** `http` or `https`. */
  readonly scheme: string;
  /** The load-balancing algorithm for several endpoints. */
  readonly algorithm: string;
  readonly externalNames: boolean;
}

/** A resolved backend, with the filters it needs (the 502 answer, the ExternalName Host). */
export interface ResolvedBackend {
  readonly backend: BackendDefinition;
  readonly filters: readonly Call[];
  /** True for the local 502 answer: annotation filters are not put in front of it. */
  readonly noEndpoints: boolean;
}

export type Resolution = { readonly ok: true; readonly value: ResolvedBackend } | { readonly ok: false; readonly reason: string };

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
  const key = `${namespace}/${ref.name}:${ref.port?.name ?? ''}:${ref.port?.number ?? ''}:${settings.scheme}:${settings.algorithm}:${settings.externalNames}`;
  let resolution = index.resolved.get(key);
  if (resolution === undefined) {
    resolution = resolve(index, namespace, ref, settings);
    index.resolved.set(key, resolution);
  }
  return resolution;
}

function resolve(index: ServiceIndex, namespace: string, ref: IngressServiceBackend, settings: BackendSettings): Resolution {
  const svc = index.service(namespace, ref.name);
  if (svc === undefined) return { ok: false, reason: `service ${namespace}/${ref.name} not found` };
  const wanted = describePort(ref);
  if (svc.spec?.type === 'ExternalName') return externalName(svc, ref, wanted, settings);
  const port = findServicePort(svc, ref);
  if (port === undefined) return { ok: false, reason: `service ${namespace}/${ref.name} has no port ${wanted}` };
  const endpoints = readyEndpoints(index.endpointSlices(namespace, ref.name), port, settings.scheme);
  if (endpoints.length === 0) return { ok: true, value: NO_ENDPOINTS };
  if (endpoints.length === 1) return { ok: true, value: { backend: { type: 'network', address: endpoints[0]! }, filters: [], noEndpoints: false } };
  return {
    ok: true,
    value: { backend: { type: 'lb', algorithm: settings.algorithm, endpoints }, filters: [], noEndpoints: false },
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

function externalName(svc: Service, ref: IngressServiceBackend, wanted: string, settings: BackendSettings): Resolution {
  const name = svc.metadata.name;
  if (!settings.externalNames) return { ok: false, reason: `service ${svc.metadata.namespace ?? 'default'}/${name} is of type ExternalName, which is turned off` };
  const host = svc.spec?.externalName?.trim().toLowerCase();
  if (!host || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(host)) {
    return { ok: false, reason: `service ${svc.metadata.namespace ?? 'default'}/${name} has an invalid externalName "${svc.spec?.externalName ?? ''}"` };
  }
  // An ExternalName Service may list no ports; the Ingress's port number is then the port.
  const port = findServicePort(svc, ref)?.port ?? ref.port?.number;
  if (port === undefined) return { ok: false, reason: `service ${svc.metadata.namespace ?? 'default'}/${name} has no port ${wanted}` };
  return {
    ok: true,
    value: {
      backend: { type: 'network', address: `${settings.scheme}://${host}:${port}` },
      // The external host will expect its own name, not the Ingress host.
      filters: [{ name: 'setRequestHeader', args: ['Host', host] }],
      noEndpoints: false,
    },
  };
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
  return [...seen].sort(naturalOrder);
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
