/** Traffic(p) on the request's draw, and the sticky Traffic(p, cookie, group). */
import { describe, expect, it } from 'vitest';
import type { Arg } from '../../src/spec.js';
import { expectInvalidArgs, matches } from './create.js';

describe('Traffic', () => {
  it.each<[Arg[], number, string | undefined, boolean]>([
    [[0.3], 0.29, undefined, true],
    [[0.3], 0.3, undefined, false],
    [[0], 0, undefined, false],
    [[1], 0.999, undefined, true],
    [[0.5, 'canary', 'yes'], 0.9, 'canary=yes', true],
    [[0.5, 'canary', 'yes'], 0.1, 'canary=no', false],
    [[0.5, 'canary', 'yes'], 0.1, undefined, true],
    [[0.5, 'canary', 'yes'], 0.9, undefined, false],
    [[0.5, 'canary', 'yes'], 0.9, 'other=yes', false],
  ])('Traffic(%j) with draw %d and cookie %j → %s', (args, random, cookie, expected) => {
    const headers = cookie === undefined ? {} : { cookie };
    expect(matches('Traffic', args, { random, headers })).toBe(expected);
  });

  it.each([
    [[], 'expects a chance'],
    [[0.5, 'c'], 'expects a chance'],
    [['0.5'], 'must be a number'],
    [[1.5], 'between 0 and 1'],
    [[-0.1], 'between 0 and 1'],
    [[0.5, 'c', 1], 'must be a string'],
    [[0.5, '', 'g'], 'must not be empty'],
  ])('rejects Traffic(%j)', (args, fragment) => {
    expectInvalidArgs('Traffic', args, fragment);
  });
});
