/** `Cookie("name", /re/)`: the request carries the cookie and its value matches the regexp. */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { expectCount, nonEmptyStringArg, regexpArg } from '../args.js';
import { PredicateName } from './names.js';

export class CookiePredicate implements Predicate {
  readonly name: string;
  readonly regexp: RegExp;

  constructor(name: string, regexp: RegExp) {
    this.name = name;
    this.regexp = regexp;
  }

  match(req: RequestView): boolean {
    const value = req.cookie(this.name);
    return value !== undefined && this.regexp.test(value);
  }
}

export const cookieSpec: PredicateSpec = {
  name: PredicateName.Cookie,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 2, 2, 'a cookie name and a regexp');
    return new CookiePredicate(
      nonEmptyStringArg(this.name, args, 0, 'the cookie name'),
      regexpArg(this.name, args, 1, 'the expression'),
    );
  },
};
