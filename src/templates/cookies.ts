/**
 * Reads one cookie out of a Cookie header value without building a map: used by templates when
 * earlier filters changed the outgoing Cookie header, so the request's parsed cookies are stale.
 */

/** The value of the first cookie named `name`, undefined when absent. */
export function findCookie(header: string, name: string): string | undefined {
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end && header.slice(start, eq).trim() === name) {
      return header.slice(eq + 1, end).trim();
    }
    start = end + 1;
  }
  return undefined;
}
