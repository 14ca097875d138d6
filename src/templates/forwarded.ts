/**
 * Client address lookups for the `${request.source}` and `${request.sourceFromLast}` template
 * placeholders: the first or last X-Forwarded-For entry when it is an IP, else the TCP peer.
 */
import { isIP } from 'node:net';

/**
 * The first entry of an X-Forwarded-For value, trimmed, when it is an IP address.
 * hot path: one indexOf and one slice, no split.
 */
export function firstForwarded(xff: string): string | undefined {
  const comma = xff.indexOf(',');
  const entry = (comma === -1 ? xff : xff.slice(0, comma)).trim();
  return isIP(entry) === 0 ? undefined : entry;
}

/** The last entry of an X-Forwarded-For value, trimmed, when it is an IP address. */
export function lastForwarded(xff: string): string | undefined {
  const comma = xff.lastIndexOf(',');
  const entry = (comma === -1 ? xff : xff.slice(comma + 1)).trim();
  return isIP(entry) === 0 ? undefined : entry;
}
