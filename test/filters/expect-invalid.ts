/** Asserts that creating a filter fails the build with InvalidArgs, naming the filter. */
import { expect } from 'vitest';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import type { Arg, FilterSpec } from '../../src/spec.js';

export function expectInvalidArgs(spec: FilterSpec, args: readonly Arg[]): SkiffError {
  let caught: unknown;
  try {
    spec.create(args);
  } catch (err) {
    caught = err;
  }
  expect(caught, `${spec.name}(${JSON.stringify(args)}) should be rejected`).toBeInstanceOf(SkiffError);
  const err = caught as SkiffError;
  expect(err.code).toBe(ErrorCode.InvalidArgs);
  expect(err.message.startsWith(`${spec.name}: `)).toBe(true);
  return err;
}
