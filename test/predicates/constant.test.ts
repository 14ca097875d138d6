/** True, False and Weight. */
import { describe, expect, it } from 'vitest';
import { WeightPredicate } from '../../src/predicates/constant.js';
import { createPredicate, expectInvalidArgs, matches } from './create.js';

describe('True, False, Weight', () => {
  it.each([
    ['True', true],
    ['False', false],
  ])('%s() → %s', (name, expected) => {
    expect(matches(name, [], { url: '/x' })).toBe(expected);
  });

  it('Weight(n) always matches and carries the truncated weight', () => {
    const p = createPredicate('Weight', [3.7]);
    expect(p).toBeInstanceOf(WeightPredicate);
    expect((p as WeightPredicate).weight).toBe(3);
    expect(matches('Weight', [-2], {})).toBe(true);
  });

  it.each([
    ['True', [1]],
    ['False', ['x']],
    ['Weight', []],
    ['Weight', ['2']],
    ['Weight', [1, 2]],
  ] as const)('rejects %s(%j)', (name, args) => {
    expectInvalidArgs(name, args);
  });
});
