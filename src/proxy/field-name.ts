/** Header field names compared the way HTTP compares them: ASCII letters in any case. */

/**
 * Whether `name` equals `lower`, a lower-case literal, ignoring the case of ASCII letters.
 * hot path: no lower-cased copy of `name`.
 */
export function equalsLower(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
