/**
 * Deep equality of plain data (what the API server sends, and what translation makes of it):
 * primitives by Object.is, arrays element by element, Dates by time, Sets and Maps by their
 * entries, other objects by their own enumerable keys when both have the same prototype.
 * Anything it cannot tell apart is equal only when identical, which at worst costs a translation.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(a) as object | null;
  if (proto !== Object.getPrototypeOf(b) || Array.isArray(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Set) {
    const o = b as Set<unknown>;
    if (a.size !== o.size) return false;
    for (const v of a) if (!o.has(v)) return false;
    return true;
  }
  if (a instanceof Map) {
    const o = b as Map<unknown, unknown>;
    if (a.size !== o.size) return false;
    for (const [k, v] of a) if (!o.has(k) || !sameData(v, o.get(k))) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
