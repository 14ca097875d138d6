/**
 * Load-balancing algorithms for `<algorithm, "http://a", "http://b">` backends. A balancer is
 * created once per route at table build; `pick` runs per request.
 *
 *   roundRobin            counter starting at a random index (default)
 *   random                uniform
 *   consistentHash        ring with 100 virtual nodes per endpoint; key from the
 *                         `consistentHashKey` state entry, else the client address
 *   powerOfRandomNChoices two random endpoints, the one with fewer requests in flight wins
 */
import type { Endpoint } from './backend.js';
import type { RequestView } from '../spec.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { inFlight } from './in-flight.js';

export interface Balancer {
  readonly algorithm: string;
  /** hot path. `exclude` skips one endpoint (the one a retry failed on) when others exist. */
  pick(req: RequestView, hashKey: string | undefined, exclude?: Endpoint): Endpoint;
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

class RoundRobin implements Balancer {
  readonly algorithm = 'roundRobin';
  private next: number;

  constructor(private readonly endpoints: readonly Endpoint[]) {
    this.next = Math.floor(Math.random() * endpoints.length);
  }

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    const i = this.next;
    this.next = (i + 1) % this.endpoints.length;
    return skip(this.endpoints, i, exclude);
  }
}

class RandomChoice implements Balancer {
  readonly algorithm = 'random';

  constructor(private readonly endpoints: readonly Endpoint[]) {}

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    return skip(this.endpoints, Math.floor(Math.random() * this.endpoints.length), exclude);
  }
}

class PowerOfTwoChoices implements Balancer {
  readonly algorithm = 'powerOfRandomNChoices';

  constructor(private readonly endpoints: readonly Endpoint[]) {}

  pick(_req: RequestView, _key: string | undefined, exclude?: Endpoint): Endpoint {
    const n = this.endpoints.length;
    if (n === 1) return this.endpoints[0]!;
    const a = Math.floor(Math.random() * n);
    let b = Math.floor(Math.random() * (n - 1));
    if (b >= a) b++;
    const ea = this.endpoints[a]!;
    const eb = this.endpoints[b]!;
    if (ea === exclude) return eb;
    if (eb === exclude) return ea;
    return inFlight.count(eb) < inFlight.count(ea) ? eb : ea;
  }
}

const virtualNodes = 100;

class ConsistentHash implements Balancer {
  readonly algorithm = 'consistentHash';
  private readonly ring: Uint32Array;
  private readonly owners: Uint32Array;

  constructor(private readonly endpoints: readonly Endpoint[]) {
    const points: { hash: number; owner: number }[] = [];
    endpoints.forEach((e, owner) => {
      for (let v = 0; v < virtualNodes; v++) points.push({ hash: fnv1a(`${e.origin}-${v}`), owner });
    });
    points.sort((x, y) => x.hash - y.hash || x.owner - y.owner);
    this.ring = Uint32Array.from(points, (p) => p.hash);
    this.owners = Uint32Array.from(points, (p) => p.owner);
  }

  pick(req: RequestView, key: string | undefined, exclude?: Endpoint): Endpoint {
    const h = fnv1a(key ?? req.clientIp ?? req.remoteAddress);
    // First ring point at or after the hash, wrapping around.
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    const at = lo === this.ring.length ? 0 : lo;
    return skip(this.endpoints, this.owners[at]!, exclude);
  }
}

/** 32-bit FNV-1a over UTF-16 code units: cheap, stable across processes and restarts. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
