/**
 * The header family: `Header("X-Key", "value")` (exact) and `HeaderRegexp("X-Key", /re/)`. The
 * key is case-insensitive. A header sent several times matches when any of its values does;
 * Node joins such lines with ", ", so each comma-separated element counts as a value too.
 */
import type { Arg, Predicate, PredicateSpec, RequestView } from '../spec.js';
import { expectCount, nonEmptyStringArg, regexpArg, stringArg } from '../args.js';
import { listHasElement } from './ascii.js';
import { PredicateName } from './names.js';

export class HeaderPredicate implements Predicate {
  /** Lower case, as Node stores header names. */
  readonly key: string;
  readonly value: string;

  constructor(key: string, value: string) {
    this.key = key;
    this.value = value;
  }

  // hot path: exact comparison first, element scan only when the field holds a list
  match(req: RequestView): boolean {
    const field = req.headers[this.key];
    if (field === undefined) return false;
    if (typeof field === 'string') {
      return field === this.value || (field.indexOf(',') !== -1 && listHasElement(field, this.value));
    }
    for (let i = 0; i < field.length; i++) if (field[i] === this.value) return true;
    return false;
  }
}

export class HeaderRegexpPredicate implements Predicate {
  readonly key: string;
  readonly regexp: RegExp;

  constructor(key: string, regexp: RegExp) {
    this.key = key;
    this.regexp = regexp;
  }

  match(req: RequestView): boolean {
    const field = req.headers[this.key];
    if (field === undefined) return false;
    if (typeof field === 'string') {
      if (this.regexp.test(field)) return true;
      return field.indexOf(',') !== -1 && this.matchElements(field);
    }
    for (let i = 0; i < field.length; i++) if (this.regexp.test(field[i]!)) return true;
    return false;
  }

  /** Only reached for list-valued fields whose whole text did not match. */
  private matchElements(field: string): boolean {
    for (const element of field.split(',')) {
      if (this.regexp.test(element.trim())) return true;
    }
    return false;
  }
}

export const headerSpec: PredicateSpec = {
  name: PredicateName.Header,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 2, 2, 'a header name and a value');
    const key = nonEmptyStringArg(this.name, args, 0, 'the header name').toLowerCase();
    return new HeaderPredicate(key, stringArg(this.name, args, 1, 'the value'));
  },
};

export const headerRegexpSpec: PredicateSpec = {
  name: PredicateName.HeaderRegexp,
  shareable: true,
  create(args: readonly Arg[]): Predicate {
    expectCount(this.name, args, 2, 2, 'a header name and a regexp');
    const key = nonEmptyStringArg(this.name, args, 0, 'the header name').toLowerCase();
    return new HeaderRegexpPredicate(key, regexpArg(this.name, args, 1, 'the expression'));
  },
};
