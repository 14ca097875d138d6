/**
 * Turns a backend definition into a compiled backend at table-build time: URLs parsed, the
 * load-balancing algorithm chosen, mixed schemes rejected.
 */
import type { BackendDefinition } from '../eskip/definition.js';
import type { Backend, Endpoint } from './backend.js';
import { createBalancer } from './balancer.js';
import { parseEndpoint } from './endpoint.js';
import { ErrorCode, SkiffError } from '../errors.js';

export function compileBackend(def: BackendDefinition, endpoints?: EndpointCache): Backend {
  const endpoint = endpoints === undefined ? parseEndpoint : (address: string) => endpoints.get(address);
  switch (def.type) {
    case 'network':
      return { type: 'network', endpoint: endpoint(def.address) };
    case 'lb': {
      const list = endpoints === undefined ? def.endpoints.map(endpoint) : endpoints.list(def.endpoints);
      const schemes = new Set(list.map((e) => e.origin.slice(0, e.origin.indexOf(':'))));
      if (schemes.size > 1) {
        throw new SkiffError(ErrorCode.InvalidBackend, 'load-balancer endpoints cannot have mixed protocols');
      }
      return { type: 'lb', balancer: createBalancer(def.algorithm, list), endpoints: list };
    }
    case 'shunt':
    case 'loopback':
    case 'dynamic':
      return { type: def.type };
    case 'forward':
      throw new SkiffError(ErrorCode.InvalidBackend, '<forward> backends need a forward backend URL, which skiff does not configure');
  }
}

/** A load-balanced backend as compileBackend makes it: its list is replaced in place by adoptEndpoints. */
type LbBackend = { -readonly [K in keyof Extract<Backend, { type: 'lb' }>]: Extract<Backend, { type: 'lb' }>[K] };

/**
 * Gives `backend`, a load-balanced backend in use, the endpoints of `fresh`, just compiled from the
 * route's new definition, and answers true; false (nothing changed) unless both are load-balanced
 * with the same algorithm. The route keeps its Backend and balancer objects: a rebuild after the
 * pods of every Service moved then keeps 30,000 fewer of each until the old table is collected.
 * A request that already picked an endpoint keeps it; the next pick chooses among the new ones.
 */
export function adoptEndpoints(backend: Backend, fresh: Backend): boolean {
  if (backend.type !== 'lb' || fresh.type !== 'lb' || backend === fresh) return false;
  if (!backend.balancer.adopt(fresh.balancer)) return false;
  (backend as LbBackend).endpoints = fresh.endpoints;
  return true;
}

/**
 * Endpoints by address, shared by the backends compiled through the cache: the routes of one
 * Service (a path each, often several) then hold one Endpoint per pod instead of one each, and the
 * address is parsed once. Endpoints are immutable, and passive health and in-flight counts are
 * keyed by origin, so sharing changes nothing else. An address not asked for during a whole
 * generation (one table build, see rotate()) is forgotten, so pods that come and go do not pile up.
 */
export class EndpointCache {
  private current = new Map<string, Endpoint>();
  private previous = new Map<string, Endpoint>();
  /**
   * The last address list and its endpoints: the routes of one Service come one after the other
   * (their ids differ in the path only) with the same list, and then share one array of endpoints.
   */
  private lastAddresses: readonly string[] | null = null;
  private lastList: readonly Endpoint[] = [];

  /** The endpoints of a list of addresses, one array for the same list object within a generation. */
  list(addresses: readonly string[]): readonly Endpoint[] {
    if (addresses === this.lastAddresses) return this.lastList;
    const list = addresses.map((a) => this.get(a));
    this.lastAddresses = addresses;
    this.lastList = list;
    return list;
  }

  /** The endpoint of an address; throws SkiffError (InvalidBackend) as parseEndpoint does. */
  get(address: string): Endpoint {
    let e = this.current.get(address);
    if (e !== undefined) return e;
    e = this.previous.get(address);
    if (e === undefined) {
      e = canonicalEndpoint(address);
      if (e === undefined) {
        const parsed = parseEndpoint(address);
        // Flat copies: the URL's strings are a concatenation and a slice of its href, which they would keep alive.
        e = { origin: flat(parsed.origin), authority: flat(parsed.authority) };
      }
    }
    this.current.set(address, e);
    return e;
  }

  /** Starts a generation: what was not asked for since the previous call goes at the next. */
  rotate(): void {
    this.lastAddresses = null;
    this.lastList = [];
    if (this.current.size === 0) return;
    this.previous = this.current;
    this.current = new Map();
  }
}

/** `http://10.2.0.4:8080`: what Ingress translation makes of every pod address (IPv4). */
const CANONICAL = /^(https?):\/\/((?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})):([1-9]\d{0,4})$/;

/**
 * The endpoint of an address already in the form a URL would give back (an IPv4 address without
 * leading zeros, an explicit port that is not the scheme's default), without parsing a URL: the
 * origin is the address itself. Undefined for anything else, which goes through parseEndpoint.
 */
export function canonicalEndpoint(address: string): Endpoint | undefined {
  const m = CANONICAL.exec(address);
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port > 65535 || port === (m[1] === 'http' ? 80 : 443)) return undefined;
  for (const octet of m[2]!.split('.')) if (Number(octet) > 255) return undefined;
  return { origin: address, authority: address.slice(m[1]!.length + 3) };
}

/**
 * The same text as one flat string: reading a character flattens a concatenated string in
 * place, and a slice of a longer string is copied, so the parts or the longer string can go.
 */
function flat(s: string): string {
  const copy = s.length > 0 ? s.charAt(0) + s.slice(1) : s;
  copy.charCodeAt(0);
  return copy;
}
