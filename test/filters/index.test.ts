import { describe, expect, it } from 'vitest';
import { builtinFilters } from '../../filters/index.js';
import * as names from '../../filters/names.js';
import { Registry } from '../../src/registry.js';
import type { FilterSpec } from '../../src/spec.js';

describe('builtinFilters', () => {
  const specs = builtinFilters();

  it('registers every name in names.ts exactly once', () => {
    const listed = specs.map((s) => s.name).sort();
    expect(listed).toEqual(Object.values(names).sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('uses lowerCamel names', () => {
    for (const spec of specs) expect(spec.name).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it('fills a registry', () => {
    const registry = new Registry<FilterSpec>(specs);
    expect(registry.get('setRequestHeader')?.name).toBe('setRequestHeader');
    expect(registry.names()).toHaveLength(specs.length);
  });

  it('returns a new list each time, so a caller may extend it', () => {
    const list = builtinFilters();
    list.pop();
    expect(builtinFilters()).toHaveLength(specs.length);
  });
});
