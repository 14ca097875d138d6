/**
 * `zalando.org/backend-weights`: a traffic split between the Services that share one path, as
 * Skipper's traffic-predicate algorithm computes it. Walking the backends in spec order, each one
 * gets `Traffic(w_i / sum of the weights from i on)`, so the chain of routes (tried in order)
 * splits requests in the given ratio; the last non-zero backend takes the rest and needs no
 * Traffic(). `len - i - 2` `True()` predicates raise the earlier routes' weight so that the
 * matcher tries them first. A zero weight gives no route.
 */
import type { Call } from '../../eskip/definition.js';

export interface TrafficShare {
  /** The backend's index in the group. */
  readonly index: number;
  /** Traffic() and True() predicates to add; empty for the backend that takes the rest. */
  readonly predicates: readonly Call[];
}

/**
 * Shares for a group of backends (by Service name, in spec order). Names missing from the weights
 * count as 0; when every weight is 0 (or there are no weights), all backends weigh 1.
 */
export function trafficShares(services: readonly string[], weights: ReadonlyMap<string, number> | undefined): TrafficShare[] {
  if (services.length === 1) return [{ index: 0, predicates: [] }];
  let w = services.map((s) => weights?.get(s) ?? 0);
  if (w.every((x) => x === 0)) w = services.map(() => 1);
  let last = w.length - 1;
  while (w[last] === 0) last--;
  const shares: TrafficShare[] = [];
  for (let i = 0; i < services.length; i++) {
    const weight = w[i]!;
    if (weight === 0) continue;
    if (i === last) {
      shares.push({ index: i, predicates: [] });
      continue;
    }
    // Summed afresh rather than decremented, so that float weights do not drift.
    let remaining = 0;
    for (let j = i; j < w.length; j++) remaining += w[j]!;
    const predicates: Call[] = [{ name: 'Traffic', args: [weight / remaining] }];
    for (let j = 0; j < services.length - i - 2; j++) predicates.push({ name: 'True', args: [] });
    shares.push({ index: i, predicates });
  }
  return shares;
}
