/** Test support for predicate specs: create a built-in by name and run it on a request. */
import { expect } from 'vitest';
import type { Arg, Predicate } from '../../src/spec.js';
import { builtinPredicates } from '../../src/predicates/index.js';
import { Registry } from '../../src/registry.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { requestView } from '../helpers/request.js';
import type { TestRequest } from '../helpers/request.js';

const registry = new Registry(builtinPredicates());

export function createPredicate(name: string, args: readonly Arg[]): Predicate {
  const spec = registry.get(name);
  if (spec === undefined) throw new Error(`no built-in predicate ${name}`);
  return spec.create(args);
}

/** A request view whose per-request draw is fixed, for Traffic. */
export function request(r: TestRequest & { random?: number } = {}) {
  const view = requestView(r);
  if (r.random !== undefined) Object.defineProperty(view, 'random', { value: r.random });
  return view;
}

export function matches(name: string, args: readonly Arg[], r: TestRequest & { random?: number }): boolean {
  return createPredicate(name, args).match(request(r));
}

/** Asserts that creating the predicate fails with InvalidArgs and a message naming it. */
export function expectInvalidArgs(name: string, args: readonly Arg[], fragment?: string): void {
  let error: unknown;
  try {
    createPredicate(name, args);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SkiffError);
  expect((error as SkiffError).code).toBe(ErrorCode.InvalidArgs);
  expect((error as SkiffError).message).toContain(`${name}:`);
  if (fragment !== undefined) expect((error as SkiffError).message).toContain(fragment);
}
