import { describe, expect, it } from 'vitest';
import { toRawPath } from '../../../filters/path/raw-path.js';

describe('toRawPath', () => {
  it.each([
    ['/a/b', '/a/b'],
    ['/a%20b', '/a%20b'],
    ["/a-._~!$&'()*+,;=:@b", "/a-._~!$&'()*+,;=:@b"],
    ['/a b', '/a%20b'],
    ['/a?b#c', '/a%3Fb%23c'],
    ['/ü', '/%C3%BC'],
    ['/"<>\\^`{|}', '/%22%3C%3E%5C%5E%60%7B%7C%7D'],
    ['', '/'],
    ['rel/x', '/rel/x'],
    ['/\uD800', '/%EF%BF%BD'],
  ])('%j → %j', (input, expected) => {
    expect(toRawPath(input)).toBe(expected);
  });

  it('returns the same string when nothing changes', () => {
    const path = '/already/clean';
    expect(toRawPath(path)).toBe(path);
  });
});
