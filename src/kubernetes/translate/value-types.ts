/**
 * Type tests for values read from objects that have only been through a YAML parser (manifest
 * files): the shape checks of Ingresses (shape.ts) and of Services and EndpointSlices
 * (service-shape.ts) are written with these.
 */

/** A YAML mapping: an object that is not a list. */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Absent (undefined or null) or of the type named. */
export function absentOr(v: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return v === undefined || v === null || typeof v === type;
}
