/** Runs the shared matcher cases against tables built from their eskip text. */
import { describe, expect, it } from 'vitest';
import { matcherCases } from './matcher-cases.js';
import { tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

describe('RouteTable.lookup', () => {
  it.each(matcherCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const table = tableOf(c.routes);
    expect(table.invalid).toEqual([]);
    const match = table.lookup(request(c.request));
    if (c.expected === null) {
      expect(match).toBeNull();
      return;
    }
    expect(match?.route.id).toBe(c.expected);
    expect({ ...match!.params }).toEqual(c.params ?? {});
  });
});
