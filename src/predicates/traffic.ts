/**
 * `Traffic(p)` matches a share p of requests. The sticky form `Traffic(p, "cookie", "group")`
 * always matches a request whose cookie is `group`, never one whose cookie holds another value,
 * and falls back to chance when the cookie is absent.
 *
 * Skipper draws a fresh random number for every Traffic evaluation, and its backend-weights
 * translation relies on that: routes `Traffic(1/3) && True()`, `Traffic(1/2)`, `<none>` split
 * evenly only if the draws are independent. Sharing the request's one draw would give 1/3, 1/6,
 * 1/2. So each predicate derives its own draw from `req.random` by a bijective 32-bit mix with a
 * per-instance salt: uniform, independent across predicates, and still fixed by the request's
 * draw (tests can set it).
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { invalidArgs } from '../errors.js';
import { nonEmptyStringArg, numberArg } from '../args.js';
import { PredicateName } from './names.js';

const TWO_POW_32 = 4294967296;
let nextSalt = 0x9e3779b9;

/** A new salt per predicate instance (golden-ratio steps: distinct and well spread). */
function takeSalt(): number {
  nextSalt = (nextSalt + 0x9e3779b9) >>> 0;
  return nextSalt;
}

/** Maps a draw in [0, 1) to another uniform draw in [0, 1), different per salt. */
export function deriveDraw(random: number, salt: number): number {
  let h = (Math.floor(random * TWO_POW_32) ^ salt) >>> 0;
  // murmur3 finaliser: a bijection on 32-bit integers with full avalanche
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h / TWO_POW_32;
}

export class TrafficPredicate implements Predicate {
  readonly chance: number;
  readonly cookie: string | null;
  readonly group: string | null;
  private readonly salt: number;

  constructor(chance: number, cookie: string | null, group: string | null, salt: number = takeSalt()) {
    this.chance = chance;
    this.cookie = cookie;
    this.group = group;
    this.salt = salt;
  }

  match(req: RequestView): boolean {
    if (this.cookie !== null) {
      const value = req.cookie(this.cookie);
      if (value !== undefined) return value === this.group;
    }
    if (this.chance >= 1) return true;
    if (this.chance <= 0) return false;
    return deriveDraw(req.random, this.salt) < this.chance;
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
