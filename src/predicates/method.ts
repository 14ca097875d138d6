/**
 * The method family: `Method("GET")` compares exactly, as Skipper does; `Methods("get", "POST")`
 * accepts any of the listed methods, ignoring case.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { expectCount, nonEmptyStringArg } from '../args.js';
import { equalsLowerCase } from './ascii.js';
import { PredicateName } from './names.js';

export class MethodPredicate implements Predicate {
  readonly method: string;

  constructor(method: string) {
    this.method = method;
  }

  match(req: RequestView): boolean {
    return req.method === this.method;
  }
}

export class MethodsPredicate implements Predicate {
  /** Upper case, for the common exact hit. */
  private readonly upper: readonly string[];
  /** Lower case, for a request method sent in another case. */
  private readonly lower: readonly string[];

  constructor(methods: readonly string[]) {
    this.upper = methods.map((m) => m.toUpperCase());
    this.lower = methods.map((m) => m.toLowerCase());
  }

  // hot path: Node gives standard methods in upper case, so the first loop usually decides
  match(req: RequestView): boolean {
    const method = req.method;
    for (let i = 0; i < this.upper.length; i++) if (this.upper[i] === method) return true;
    for (let i = 0; i < this.lower.length; i++) if (equalsLowerCase(method, this.lower[i]!)) return true;
    return false;
  }
}

export const methodSpec: PredicateSpec = {
  name: PredicateName.Method,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one method');
    return new MethodPredicate(nonEmptyStringArg(this.name, args, 0, 'the method'));
  },
};

export const methodsSpec: PredicateSpec = {
  name: PredicateName.Methods,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, Infinity, 'one or more methods');
    return new MethodsPredicate(args.map((_, i) => nonEmptyStringArg(this.name, args, i, 'a method')));
  },
};
