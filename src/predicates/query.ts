/**
 * `QueryParam("k")`: the key is present (an empty value counts). `QueryParam("k", /re/)`: one of
 * the key's values matches. Values are compared decoded.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { expectCount, nonEmptyStringArg, regexpArg } from '../args.js';
import { PredicateName } from './names.js';

export class QueryParamPredicate implements Predicate {
  readonly key: string;
  readonly regexp: RegExp | null;

  constructor(key: string, regexp: RegExp | null) {
    this.key = key;
    this.regexp = regexp;
  }

  match(req: RequestView): boolean {
    const values = req.query(this.key);
    if (values === undefined) return false;
    const regexp = this.regexp;
    if (regexp === null) return true;
    for (let i = 0; i < values.length; i++) if (regexp.test(values[i]!)) return true;
    return false;
  }
}

export const queryParamSpec: PredicateSpec = {
  name: PredicateName.QueryParam,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 2, 'a key and an optional regexp');
    const key = nonEmptyStringArg(this.name, args, 0, 'the key');
    return new QueryParamPredicate(key, args.length === 2 ? regexpArg(this.name, args, 1, 'the expression') : null);
  },
};
