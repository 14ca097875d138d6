/** Host (regexp against the Host header, port included) and HostAny (exact, case-insensitive). */
import { describe, expect, it } from 'vitest';
import { expectInvalidArgs, matches } from './create.js';

describe('Host', () => {
  it.each([
    [{ regexp: '^example[.]org$' }, 'example.org', true],
    [{ regexp: '^example[.]org$' }, 'example.org:8080', false],
    [{ regexp: '^example[.]org$' }, 'EXAMPLE.org', true],
    [{ regexp: '^(example[.]org[.]?(:[0-9]+)?)$' }, 'example.org:8080', true],
    [{ regexp: '^(example[.]org[.]?(:[0-9]+)?)$' }, 'example.org.', true],
    [{ regexp: '^(example[.]org[.]?(:[0-9]+)?)$' }, 'www.example.org', false],
    [{ regexp: '^(example[.]org[.]?(:[0-9]+)?)$' }, 'example.org:', false],
    [{ regexp: 'example' }, 'www.example.org', true],
    ['^a[.]b$', 'a.b', true],
    [{ regexp: ':9090$' }, 'x.org:9090', true],
  ])('Host(%j) on %s → %s', (arg, host, expected) => {
    expect(matches('Host', [arg], { host })).toBe(expected);
  });

  it.each([
    [[], 'one regexp'],
    [[{ regexp: '[' }], 'invalid regexp'],
    [[42], 'regexp or a string'],
    [[{ regexp: 'a' }, { regexp: 'b' }], 'one regexp'],
  ])('rejects Host(%j)', (args, fragment) => {
    expectInvalidArgs('Host', args, fragment);
  });
});

describe('HostAny', () => {
  it.each([
    [['a.org', 'b.org:9090'], 'a.org', true],
    [['a.org', 'b.org:9090'], 'b.org:9090', true],
    [['a.org', 'b.org:9090'], 'A.ORG', true],
    [['a.org', 'b.org:9090'], 'a.org:80', false],
    [['a.org', 'b.org:9090'], 'b.org', false],
    [['a.org', 'b.org:9090'], 'a.org.', false],
    [['A.Org'], 'a.org', true],
    [['a.org'], 'xa.org', false],
  ])('HostAny(%j) on %s → %s', (args, host, expected) => {
    expect(matches('HostAny', args, { host })).toBe(expected);
  });

  it.each([
    [[], 'one or more hosts'],
    [[''], 'must not be empty'],
    [['a.org', 1], 'must be a string'],
    [[{ regexp: 'a' }], 'must be a string'],
  ])('rejects HostAny(%j)', (args, fragment) => {
    expectInvalidArgs('HostAny', args, fragment);
  });
});
