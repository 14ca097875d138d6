/**
 * Fetches of remote key sets, counted per key set for the whole process: a key set lives as long
 * as the routes that use it, but a Prometheus counter must not drop when a route table no longer
 * holds it. src/metrics/jwks-metrics.ts reads these at every scrape. A key set is named by its
 * configuration (`jwks <url>` or `oidc <issuer>`), so the names are as many as the routes
 * configure, whatever clients send.
 */

export interface KeySetCount {
  /** Fetches started, successful or not. */
  fetches: number;
  /** Fetches that gave no usable keys. */
  errors: number;
}

const counts = new Map<string, KeySetCount>();

function entry(keySet: string): KeySetCount {
  let c = counts.get(keySet);
  if (c === undefined) {
    c = { fetches: 0, errors: 0 };
    counts.set(keySet, c);
  }
  return c;
}

export function countKeySetFetch(keySet: string): void {
  entry(keySet).fetches++;
}

export function countKeySetError(keySet: string): void {
  entry(keySet).errors++;
}

/** Cumulative counts by key set name, since the process started. */
export function keySetCounts(): ReadonlyMap<string, Readonly<KeySetCount>> {
  return counts;
}
