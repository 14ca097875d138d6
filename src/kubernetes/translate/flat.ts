/**
 * A string built by concatenation is a tree of its parts in V8 until something reads it as a
 * whole. Reading one character flattens it in place, and the collector then keeps only the flat
 * text: about a third of the memory for a string that lives as long as a route does.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
