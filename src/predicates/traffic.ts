/**
 * `Traffic(p)` matches a share p of requests, using the request's one uniform draw so that
 * chained Traffic predicates (backend weights) split one draw. The sticky form
 * `Traffic(p, "cookie", "group")` always matches a request whose cookie is `group`, never one
 * whose cookie holds another value, and falls back to the draw when the cookie is absent.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { invalidArgs } from '../errors.js';
import { nonEmptyStringArg, numberArg } from './args.js';
import { PredicateName } from './names.js';

export class TrafficPredicate implements Predicate {
  readonly chance: number;
  readonly cookie: string | null;
  readonly group: string | null;

  constructor(chance: number, cookie: string | null, group: string | null) {
    this.chance = chance;
    this.cookie = cookie;
    this.group = group;
  }

  match(req: RequestView): boolean {
    if (this.cookie !== null) {
      const value = req.cookie(this.cookie);
      if (value !== undefined) return value === this.group;
    }
    return req.random < this.chance;
  }
}

export const trafficSpec: PredicateSpec = {
  name: PredicateName.Traffic,
  create(args: readonly Arg[]): Predicate {
    if (args.length !== 1 && args.length !== 3) {
      throw invalidArgs(this.name, `expects a chance, or a chance, a cookie name and a group; got ${args.length} arguments`);
    }
    const chance = numberArg(this.name, args, 0, 'the chance');
    if (chance < 0 || chance > 1) throw invalidArgs(this.name, `the chance must be between 0 and 1, got ${chance}`);
    if (args.length === 1) return new TrafficPredicate(chance, null, null);
    return new TrafficPredicate(
      chance,
      nonEmptyStringArg(this.name, args, 1, 'the cookie name'),
      nonEmptyStringArg(this.name, args, 2, 'the group'),
    );
  },
};
