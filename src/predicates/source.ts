/**
 * The client-address family, each taking IPs and CIDR blocks: `ClientIP` tests the TCP peer,
 * `Source` the first X-Forwarded-For entry and `SourceFromLast` the last one (the AWS ALB
 * convention), both falling back to the peer when the header is absent or its entry is not an
 * address. X-Forwarded-For can be forged by clients; these are routing, not security, checks.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { SkiffError, invalidArgs } from '../errors.js';
import { CidrSet } from '../net/cidr-set.js';
import { allStringArgs, expectCount } from '../args.js';
import { PredicateName } from './names.js';

/** Which address of the request a source predicate looks at. */
export const SourceOf = { Peer: 0, FirstForwarded: 1, LastForwarded: 2 } as const;
export type SourceOf = (typeof SourceOf)[keyof typeof SourceOf];

export class SourcePredicate implements Predicate {
  readonly networks: CidrSet;
  readonly of: SourceOf;

  constructor(networks: CidrSet, of: SourceOf) {
    this.networks = networks;
    this.of = of;
  }

  // hot path: tests the header entry in place, without splitting the header
  match(req: RequestView): boolean {
    if (this.of !== SourceOf.Peer) {
      const forwarded = this.forwardedEntry(req.headers['x-forwarded-for']);
      if (forwarded !== undefined) return forwarded;
    }
    return this.networks.has(req.remoteAddress);
  }

  /** The verdict for the chosen X-Forwarded-For entry; undefined when there is no usable entry. */
  private forwardedEntry(field: string | string[] | undefined): boolean | undefined {
    if (field === undefined) return undefined;
    let text: string;
    if (typeof field === 'string') text = field;
    else if (field.length === 0) return undefined;
    else text = this.of === SourceOf.FirstForwarded ? field[0]! : field[field.length - 1]!;
    let start: number;
    let end: number;
    if (this.of === SourceOf.FirstForwarded) {
      start = 0;
      end = text.indexOf(',');
      if (end === -1) end = text.length;
    } else {
      start = text.lastIndexOf(',') + 1;
      end = text.length;
    }
    while (start < end && text.charCodeAt(start) === 32) start++;
    while (end > start && text.charCodeAt(end - 1) === 32) end--;
    return this.networks.containsSlice(text, start, end);
  }
}

function addressSpec(name: string, of: SourceOf): PredicateSpec {
  return {
    name,
    shareable: true,
    create(args: readonly Arg[]): Predicate {
      expectCount(name, args, 1, Infinity, 'one or more IP addresses or CIDR blocks');
      const list = allStringArgs(name, args, 'an address');
      try {
        return new SourcePredicate(CidrSet.parse(list), of);
      } catch (e) {
        if (e instanceof SkiffError) throw invalidArgs(name, e.message);
        throw e;
      }
    },
  };
}

export const clientIpSpec: PredicateSpec = addressSpec(PredicateName.ClientIP, SourceOf.Peer);
export const sourceSpec: PredicateSpec = addressSpec(PredicateName.Source, SourceOf.FirstForwarded);
export const sourceFromLastSpec: PredicateSpec = addressSpec(PredicateName.SourceFromLast, SourceOf.LastForwarded);
