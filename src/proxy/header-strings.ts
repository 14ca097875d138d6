/**
 * Strings of backend response header names and values, decoded as latin1 (HTTP field bytes, one
 * char each) and interned.
 *
 * Why: undici hands the response headers over as raw Buffers, and Buffer#toString is a call into
 * C++ of about 50 ns, paid for every name and every value of every response: ten calls for a
 * typical small response. A backend repeats the same few names and most of its values (Server,
 * Content-Type, Connection, Date within its second), so a table lookup that compares the bytes
 * with the cached copy answers most fields for a third of that. A miss decodes as before and
 * takes the slot; a field longer than `maxLength` (cookies, ETags, long URLs) is decoded at
 * once, since it rarely repeats. The slot is chosen from the length and three sampled bytes: a
 * full hash cost more than it saved, and colliding fields (a hostile backend's, say) only evict
 * each other, since a hit needs every byte equal.
 */

const slots = 1024; // a power of two
const maxLength = 48;

/** The cached bytes, `maxLength` per slot; `lengths[slot]` of them are used (0: empty slot). */
const bytes = new Uint8Array(slots * maxLength);
const lengths = new Uint8Array(slots);
const strings: string[] = new Array<string>(slots).fill('');

/** hot path: the latin1 text of a header name or value. */
export function fieldString(buf: Buffer): string {
  const n = buf.length;
  if (n === 0 || n > maxLength) return buf.toString('latin1');
  const slot = (n * 31 + buf[0]! * 7 + buf[n >> 1]! * 13 + buf[n - 1]!) & (slots - 1);
  const base = slot * maxLength;
  if (lengths[slot] === n) {
    let i = 0;
    while (i < n && bytes[base + i] === buf[i]) i++;
    if (i === n) return strings[slot]!;
  }
  const text = buf.toString('latin1');
  bytes.set(buf, base);
  lengths[slot] = n;
  strings[slot] = text;
  return text;
}
