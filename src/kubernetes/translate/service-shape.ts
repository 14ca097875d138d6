/**
 * The shape of a Service and of its EndpointSlices as backend resolution reads them. The API
 * server enforces it; objects from manifest files (`--ingress-dir`) have only been through a
 * YAML parser (`port: "80"`, `addresses: 10.0.0.1` without the list, `endpoints: [null]`). A
 * backend on such a Service is refused with the field named, the way an Ingress of a wrong
 * shape is set aside (see shape.ts), instead of failing on whatever the resolution trips over.
 */
import type { EndpointSlice, Service } from '../objects.js';
import { absentOr, isMapping } from './value-types.js';

/** What is wrong with the Service or one of its slices, or null when both read as the API defines them. */
export function serviceShapeProblem(service: Service, slices: readonly EndpointSlice[]): string | null {
  const problem = specProblem(service.spec);
  if (problem !== null) return problem;
  for (const slice of slices) {
    const p = sliceProblem(slice);
    if (p !== null) return `EndpointSlice ${typeof slice.metadata?.name === 'string' ? slice.metadata.name : '(unnamed)'}: ${p}`;
  }
  return null;
}

function specProblem(spec: unknown): string | null {
  if (spec === undefined || spec === null) return null;
  if (!isMapping(spec)) return 'spec is not a mapping';
  for (const field of ['type', 'externalName']) {
    if (!absentOr(spec[field], 'string')) return `spec.${field} is not a string`;
  }
  const ports = spec['ports'];
  if (ports === undefined || ports === null) return null;
  if (!Array.isArray(ports)) return 'spec.ports is not a list';
  for (let i = 0; i < ports.length; i++) {
    const port = ports[i] as unknown;
    const at = `spec.ports[${i}]`;
    if (!isMapping(port)) return `${at} is not a mapping`;
    if (!absentOr(port['name'], 'string')) return `${at}.name is not a string`;
    if (!absentOr(port['port'], 'number')) return `${at}.port is not a number`;
    const target = port['targetPort'];
    if (!absentOr(target, 'number') && typeof target !== 'string') return `${at}.targetPort is neither a number nor a name`;
  }
  return null;
}

function sliceProblem(slice: EndpointSlice): string | null {
  const s = slice as unknown;
  if (!isMapping(s)) return 'not a mapping';
  const ports = s['ports'];
  if (ports !== undefined && ports !== null) {
    if (!Array.isArray(ports)) return 'ports is not a list';
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] as unknown;
      if (!isMapping(port)) return `ports[${i}] is not a mapping`;
      if (!absentOr(port['name'], 'string')) return `ports[${i}].name is not a string`;
      if (!absentOr(port['port'], 'number')) return `ports[${i}].port is not a number`;
    }
  }
  const endpoints = s['endpoints'];
  if (endpoints === undefined || endpoints === null) return null;
  if (!Array.isArray(endpoints)) return 'endpoints is not a list';
  for (let i = 0; i < endpoints.length; i++) {
    const ep = endpoints[i] as unknown;
    const at = `endpoints[${i}]`;
    if (!isMapping(ep)) return `${at} is not a mapping`;
    const addresses = ep['addresses'];
    if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string')) return `${at}.addresses is not a list of strings`;
    const conditions = ep['conditions'];
    if (conditions === undefined || conditions === null) continue;
    if (!isMapping(conditions)) return `${at}.conditions is not a mapping`;
    for (const field of ['ready', 'terminating']) {
      if (!absentOr(conditions[field], 'boolean')) return `${at}.conditions.${field} is not a boolean`;
    }
  }
  return null;
}
