/** The explicit list of built-ins covers every named predicate exactly once. */
import { describe, expect, it } from 'vitest';
import { PredicateName, builtinPredicates } from '../../src/predicates/index.js';

describe('builtinPredicates', () => {
  it('lists each predicate name once', () => {
    const names = builtinPredicates().map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.values(PredicateName).sort());
  });
});
