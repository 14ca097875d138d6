/**
 * Load-balancing algorithms for `<algorithm, "http://a", "http://b">` backends. A balancer is
 * created once per route at table build; `pick` runs per request.
 *
 *   roundRobin            counter starting at a random index (default)
 *   random                uniform
 *   consistentHash        ring with 100 virtual nodes per endpoint; key from the
 *                         `consistentHashKey` state entry, else the client address; with a
 *                         `consistentHashBalanceFactor` entry f, bounded load: the first
 *                         endpoint on the ring from the key's point with at most
 *                         f * (1 + all in flight) / endpoints requests in flight
 *   powerOfRandomNChoices two random endpoints, the one with fewer requests in flight wins
 *
 * Every algorithm runs over the live endpoints: those passive health (src/backend/health.ts)
 * has not ejected. At most `maxEjectedRatio` of a backend's endpoints (at least one) are left
 * out, never all of them, so an outage of every endpoint still sends traffic somewhere.
 */
import type { Endpoint } from './backend.js';
import type { RequestView } from '../spec.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { inFlight } from './in-flight.js';
import { endpointHealth } from './health.js';
import { hashText } from '../routing/words.js';

/** The state bag entries consistentHash reads (set by the consistentHashKey and consistentHashBalanceFactor filters). */
export const CONSISTENT_HASH_KEY = 'consistentHashKey';
export const CONSISTENT_HASH_BALANCE_FACTOR = 'consistentHashBalanceFactor';

export interface Balancer {
  readonly algorithm: string;
  /**
   * hot path. `exclude` skips one endpoint (the one a retry failed on) when others exist.
   * `hashKey` and `balanceFactor` (≥ 1) matter to consistentHash only.
   */
  pick(req: RequestView, hashKey: string | undefined, exclude?: Endpoint, balanceFactor?: number): Endpoint;
  /**
   * Takes over the endpoints of `other`, a balancer of the same algorithm just made for the
   * route's new endpoint list, and answers true; false (nothing changed) for another algorithm.
   * A table rebuild after the pods of a Service moved keeps the route, and this balancer, and
   * only swaps the list: the next pick chooses among the new endpoints. Round-robin keeps its
   * position; passive health is looked at again on the next pick.
   */
  adopt(other: Balancer): boolean;
}

export const defaultAlgorithm = 'roundRobin';

export function createBalancer(algorithm: string | undefined, endpoints: readonly Endpoint[]): Balancer {
  if (endpoints.length === 0) {
    throw new SkiffError(ErrorCode.InvalidBackend, 'a load-balanced backend needs at least one endpoint');
  }
  switch (algorithm ?? defaultAlgorithm) {
    case 'roundRobin':
      return new RoundRobin(endpoints);
    case 'random':
      return new RandomChoice(endpoints);
    case 'consistentHash':
      return new ConsistentHash(endpoints);
    case 'powerOfRandomNChoices':
      return new PowerOfTwoChoices(endpoints);
    default:
      throw new SkiffError(
        ErrorCode.InvalidBackend,
        `unknown load-balancing algorithm "${algorithm}" (roundRobin, random, consistentHash, powerOfRandomNChoices)`,
      );
  }
}

function skip(endpoints: readonly Endpoint[], index: number, exclude: Endpoint | undefined): Endpoint {
  const chosen = endpoints[index]!;
  if (exclude === undefined || chosen !== exclude || endpoints.length === 1) return chosen;
  return endpoints[(index + 1) % endpoints.length]!;
}

/**
 * All zeroes, one array per length, shared: a balancer with nothing ejected (nearly all of them,
 * nearly always) needs no array of its own. Never written to.
 */
const NONE_OUT: Uint8Array[] = [];

function noneOut(n: number): Uint8Array {
  if (n > 64) return new Uint8Array(n);
  return (NONE_OUT[n] ??= new Uint8Array(n));
}

/** The endpoints minus the ejected ones, recomputed only when the health state moves. */
abstract class HealthAware {
  protected live: readonly Endpoint[];
  /** 1 for an endpoint left out, by index into `endpoints`; a new array on every change, never written after. */
  protected out: Uint8Array;
  private seen: number;

  constructor(protected endpoints: readonly Endpoint[]) {
    this.live = endpoints;
    this.out = noneOut(endpoints.length);
    this.seen = -1;
  }

  /** The endpoints of `other` from now on, with nothing left out until the next pick looks at health again. */
  protected take(other: HealthAware): void {
    this.endpoints = other.endpoints;
    this.live = other.endpoints;
    this.out = noneOut(other.endpoints.length);
    this.seen = -1;
  }

  /** hot path: one comparison unless an endpoint was ejected or readmitted since the last call. */
  protected refresh(): readonly Endpoint[] {
    if (this.seen !== endpointHealth.version) this.recompute();
    return this.live;
  }

  private recompute(): void {
    this.seen = endpointHealth.version;
    const n = this.endpoints.length;
    const allowed = n <= 1 ? 0 : Math.min(n - 1, Math.max(1, Math.floor(n * endpointHealth.maxEjectedRatio)));
    let out: Uint8Array | null = null;
    let left = 0;
    for (let i = 0; i < n && left < allowed; i++) {
      if (endpointHealth.isEjected(this.endpoints[i]!.origin)) {
        out ??= new Uint8Array(n);
        out[i] = 1;
        left++;
      }
    }
    if (out === null) {
      this.out = noneOut(n);
      this.live = this.endpoints;
    } else {
      const o = out;
      this.out = o;
      this.live = this.endpoints.filter((_, i) => o[i] === 0);
    }
  }
}

class RoundRobin extends HealthAware implements Balancer {
  readonly algorithm = 'roundRobin';
  private next: number;

  constructor(endpoints: readonly Endpoint[]) {
    super(endpoints);
    this.next = Math.floor(Math.random() * endpoints.length);
  }

  adopt(other: Balancer): boolean {
    if (!(other instanceof RoundRobin)) return false;
    // the position is kept: pick reduces it modulo the new length
    this.take(other);
    return true;
  }

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    const live = this.refresh();
    const i = this.next % live.length;
    this.next = (i + 1) % live.length;
    return skip(live, i, exclude);
  }
}

class RandomChoice extends HealthAware implements Balancer {
  readonly algorithm = 'random';

  adopt(other: Balancer): boolean {
    if (!(other instanceof RandomChoice)) return false;
    this.take(other);
    return true;
  }

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    const live = this.refresh();
    return skip(live, Math.floor(Math.random() * live.length), exclude);
  }
}

class PowerOfTwoChoices extends HealthAware implements Balancer {
  readonly algorithm = 'powerOfRandomNChoices';

  adopt(other: Balancer): boolean {
    if (!(other instanceof PowerOfTwoChoices)) return false;
    this.take(other);
    return true;
  }

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    const live = this.refresh();
    const n = live.length;
    if (n === 1) return live[0]!;
    const a = Math.floor(Math.random() * n);
    let b = Math.floor(Math.random() * (n - 1));
    if (b >= a) b++;
    const ea = live[a]!;
    const eb = live[b]!;
    if (ea === exclude) return eb;
    if (eb === exclude) return ea;
    return inFlight.count(eb) < inFlight.count(ea) ? eb : ea;
  }
}

const virtualNodes = 100;

class ConsistentHash extends HealthAware implements Balancer {
  readonly algorithm = 'consistentHash';
  private ring: Uint32Array;
  private owners: Uint32Array;
  /** In flight per endpoint, filled by boundedLoad. */
  private loads = new Float64Array(0);

  constructor(endpoints: readonly Endpoint[]) {
    super(endpoints);
    const points: { hash: number; owner: number }[] = [];
    endpoints.forEach((e, owner) => {
      for (let v = 0; v < virtualNodes; v++) points.push({ hash: ringHash(`${e.origin}-${v}`), owner });
    });
    points.sort((x, y) => x.hash - y.hash || x.owner - y.owner);
    this.ring = Uint32Array.from(points, (p) => p.hash);
    this.owners = Uint32Array.from(points, (p) => p.owner);
  }

  adopt(other: Balancer): boolean {
    if (!(other instanceof ConsistentHash)) return false;
    // the ring of the new list, already built by `other`
    this.take(other);
    this.ring = other.ring;
    this.owners = other.owners;
    return true;
  }

  pick(req: RequestView, key: string | undefined, exclude?: Endpoint, balanceFactor?: number): Endpoint {
    const h = ringHash(key ?? req.clientIp ?? req.remoteAddress);
    // First ring point at or after the hash, wrapping around.
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    let at = lo === this.ring.length ? 0 : lo;
    // An ejected owner hands its keys to the next live owner on the ring; the others keep theirs.
    if (this.refresh() !== this.endpoints) {
      const out = this.out;
      for (let steps = 0; out[this.owners[at]!] === 1 && steps < this.ring.length; steps++) at = (at + 1) % this.ring.length;
    }
    if (balanceFactor !== undefined) at = this.boundedLoad(at, balanceFactor);
    return skip(this.endpoints, this.owners[at]!, exclude);
  }

  /**
   * Skipper's bounded load: from ring point `at` on, the first point whose owner has no more
   * than `factor` times the average in flight (counting this request) over the live endpoints;
   * `at` itself when every endpoint is above that. Ejected endpoints are passed over.
   */
  private boundedLoad(at: number, factor: number): number {
    const endpoints = this.endpoints;
    const out = this.out;
    // one count per endpoint, not one per ring point; a scratch array, reused (pick is synchronous)
    if (this.loads.length !== endpoints.length) this.loads = new Float64Array(endpoints.length);
    const loads = this.loads;
    let sum = 1;
    for (let i = 0; i < endpoints.length; i++) {
      if (out[i] === 1) continue;
      loads[i] = inFlight.count(endpoints[i]!);
      sum += loads[i]!;
    }
    const target = (sum / this.live.length) * factor;
    const n = this.ring.length;
    for (let steps = 0, p = at; steps < n; steps++, p = p + 1 === n ? 0 : p + 1) {
      const owner = this.owners[p]!;
      if (out[owner] !== 1 && loads[owner]! <= target) return p;
    }
    return at;
  }
}

/**
 * Where a key (or an endpoint's virtual node) sits on the ring: stable across processes and
 * restarts. Plain FNV-1a moved little when only the last characters differ (`user-1`,
 * `user-2`, ... landed within a few percent of the ring, on one endpoint); hashText adds
 * murmur3's finaliser, which lets every input bit reach every output bit.
 */
export function ringHash(s: string): number {
  return hashText(s, 0, s.length) >>> 0;
}
