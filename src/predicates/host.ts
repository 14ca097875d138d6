/**
 * The host family: `Host(/regexp/)` tested against the Host header with its port, and
 * `HostAny("a.org", "b.org:9090")`, exact equality with the port part of the comparison.
 * Both compare case-insensitively: host names are (RFC 4343), and the matcher's host index is
 * keyed by the lower-case name, so a route must not behave differently indexed or not.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { isRegexpArg } from '../eskip/definition.js';
import { expectCount, nonEmptyStringArg, regexpArg } from '../args.js';
import { equalsLowerCase } from './ascii.js';
import { PredicateName } from './names.js';

export class HostRegexpPredicate implements Predicate {
  /** The expression as written, which the matcher inspects to index literal hosts. */
  readonly source: string;
  readonly regexp: RegExp;

  constructor(source: string, regexp: RegExp) {
    this.source = source;
    this.regexp = regexp;
  }

  match(req: RequestView): boolean {
    return this.regexp.test(req.host);
  }
}

export class HostAnyPredicate implements Predicate {
  /** Lower-cased, port kept as given. */
  readonly hosts: readonly string[];

  constructor(hosts: readonly string[]) {
    this.hosts = hosts;
  }

  // hot path: compares in place, no lower-cased copy of the request's host
  match(req: RequestView): boolean {
    const host = req.host;
    const hosts = this.hosts;
    for (let i = 0; i < hosts.length; i++) {
      if (equalsLowerCase(host, hosts[i]!)) return true;
    }
    return false;
  }
}

export const hostSpec: PredicateSpec = {
  name: PredicateName.Host,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one regexp');
    const arg = args[0]!;
    const regexp = regexpArg(this.name, args, 0, 'the host expression', 'i');
    return new HostRegexpPredicate(isRegexpArg(arg) ? arg.regexp : String(arg), regexp);
  },
};

export const hostAnySpec: PredicateSpec = {
  name: PredicateName.HostAny,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, Infinity, 'one or more hosts');
    const hosts = args.map((_, i) => nonEmptyStringArg(this.name, args, i, 'a host').toLowerCase());
    return new HostAnyPredicate(hosts);
  },
};
