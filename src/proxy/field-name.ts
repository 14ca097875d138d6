/** Header field names compared the way HTTP compares them: ASCII letters in any case. */

/**
 * Whether `name` equals `lower`, an ASCII lower-case literal, ignoring the case of ASCII letters.
 * `name` is a field name as read from the wire, so latin1, whose letters outside ASCII lower-case
 * to letters outside ASCII; the one character beyond latin1 that lower-cases to ASCII (U+212A
 * KELVIN SIGN → `k`) cannot occur.
 * hot path: two builtin calls. A loop over charCodeAt looked cheaper but measured about 40
 * instructions per character under callgrind (V8 dispatches on the string's representation at
 * every access), 400 per header name; lower-casing a name that has capitals copies it once.
 */
export function equalsLower(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}
