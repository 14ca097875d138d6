/** Which Host regexps the index recognises, and the regexps the helpers write. */
import { describe, expect, it } from 'vitest';
import {
  analyzeHostRegexp,
  exactHostRegexp,
  hasPlainPort,
  wildcardHostRegexp,
  wildcardKey,
} from '../../src/routing/host-pattern.js';
import { createPredicate, request } from '../predicates/create.js';

describe('analyzeHostRegexp', () => {
  it.each([
    ['^(example[.]org[.]?(:[0-9]+)?)$', ['example.org'], true, true],
    ['^(Example[.]ORG[.]?(:[0-9]+)?)$', ['example.org'], true, true],
    ['^(a[.]org[.]?(:[0-9]+)?|b[.]org[.]?(:[0-9]+)?)$', ['a.org', 'b.org'], true, true],
    ['^(a[.]org|b[.]org)[.]?(:[0-9]+)?$', ['a.org', 'b.org'], true, true],
    ['^(?:a[.]org|b[.]org)\\.?(:\\d+)?$', ['a.org', 'b.org'], true, true],
    ['^example\\.org$', ['example.org'], false, true],
    ['^www\\.example\\.org(:\\d+)?$', ['www.example.org'], false, false],
    ['^example\\.org:8080$', ['example.org'], false, false],
    ['^(example[.]org)$', ['example.org'], false, true],
    ['^(a[.]org[.]?(:[0-9]+)?|b[.]org)$', ['a.org', 'b.org'], false, true],
    ['^example\\.org\\.$', ['example.org'], false, false],
    ['^my_host-1$', ['my_host-1'], false, true],
    ['^10[.]0[.]0[.]1[.]?(:[0-9]+)?$', ['10.0.0.1'], true, true],
  ])('%s is exact %j (complete: %s, for bare hosts: %s)', (source, hosts, complete, bareComplete) => {
    expect(analyzeHostRegexp(source)).toEqual({ kind: 'exact', hosts, complete, bareComplete });
  });

  it.each([
    ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?$', 'example.org', true, true],
    ['^([a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?)$', 'example.org', true, true],
    ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.example\\.org$', 'example.org', false, true],
    ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.example\\.org:443$', 'example.org', false, false],
  ])('%s is a wildcard for %s (complete: %s, for bare hosts: %s)', (source, suffix, complete, bareComplete) => {
    expect(analyzeHostRegexp(source)).toEqual({ kind: 'wildcard', suffix, complete, bareComplete });
  });

  it.each([
    'example',
    '^example.org$',
    'example[.]org$',
    '^example[.]org',
    '^(example[.]org$',
    '^.*[.]example[.]org$',
    '^(a[.]org|.*)$',
    '^a[.]org$|^b[.]org$',
    '^(|a[.]org)$',
    '^[a-z]+[.]example[.]org$',
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?x$',
    '^a[.]org\\$',
  ])('%s is not indexable', (source) => {
    expect(analyzeHostRegexp(source)).toBeNull();
  });
});

describe('host regexp writers', () => {
  it('writes Skipper’s Ingress shape, recognised as complete', () => {
    const arg = exactHostRegexp(['Example.org', 'b.org']);
    expect(arg.regexp).toBe('^(example[.]org[.]?(:[0-9]+)?|b[.]org[.]?(:[0-9]+)?)$');
    expect(analyzeHostRegexp(arg.regexp)).toEqual({ kind: 'exact', hosts: ['example.org', 'b.org'], complete: true, bareComplete: true });
  });

  it('writes the wildcard shape, recognised as complete', () => {
    expect(wildcardHostRegexp('*.example.org')).toEqual(wildcardHostRegexp('example.org'));
    const arg = wildcardHostRegexp('example.org');
    expect(arg.regexp).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?$');
    expect(analyzeHostRegexp(arg.regexp)).toEqual({ kind: 'wildcard', suffix: 'example.org', complete: true, bareComplete: true });
  });

  it.each([
    ['a.example.org', true],
    ['a-1.example.org:8080', true],
    ['A.example.org.', true],
    ['a.b.example.org', false],
    ['example.org', false],
    ['-a.example.org', false],
    ['a_.example.org', false],
  ])('the wildcard regexp as a Host predicate on %s → %s', (host, expected) => {
    expect(createPredicate('Host', [wildcardHostRegexp('example.org')]).match(request({ host }))).toBe(expected);
  });
});

describe('lookup helpers', () => {
  it.each([
    ['a.org', true],
    ['a.org:80', true],
    ['a.org:', false],
    ['a.org:8o', false],
    ['[::1]:443', true],
  ])('hasPlainPort(%j) → %s', (host, expected) => {
    expect(hasPlainPort(host)).toBe(expected);
  });

  it.each([
    ['a.example.org', 'example.org'],
    ['a-b.example.org', 'example.org'],
    ['example', null],
    ['.example.org', null],
    ['a-.example.org', null],
    ['a_b.example.org', null],
    ['a.', null],
  ])('wildcardKey(%j) → %j', (hostname, expected) => {
    expect(wildcardKey(hostname)).toBe(expected);
  });
});
