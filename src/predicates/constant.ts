/**
 * Predicates that do not look at the request: `True()` and `False()` (which disables a route),
 * and `Weight(n)`, which only raises the route's priority inside its leaf and is never evaluated.
 */
import type { Arg, Predicate, PredicateSpec } from '../spec.js';
import { expectCount, numberArg } from '../args.js';
import { PredicateName } from './names.js';

export class ConstantPredicate implements Predicate {
  readonly value: boolean;

  constructor(value: boolean) {
    this.value = value;
  }

  match(): boolean {
    return this.value;
  }
}

export class WeightPredicate implements Predicate {
  /** Truncated to an integer, as Skipper does. */
  readonly weight: number;

  constructor(weight: number) {
    this.weight = weight;
  }

  match(): boolean {
    return true;
  }
}

export const trueSpec: PredicateSpec = {
  name: PredicateName.True,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 0, 0, 'no arguments');
    return new ConstantPredicate(true);
  },
};

export const falseSpec: PredicateSpec = {
  name: PredicateName.False,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 0, 0, 'no arguments');
    return new ConstantPredicate(false);
  },
};

export const weightSpec: PredicateSpec = {
  name: PredicateName.Weight,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 1, 1, 'one number');
    return new WeightPredicate(Math.trunc(numberArg(this.name, args, 0, 'the weight')));
  },
};
