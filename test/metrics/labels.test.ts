import { describe, expect, it } from 'vitest';
import { escapeHost, methodIndex, methodLabel } from '../../src/metrics/labels.js';
import { literalHost, routeHost } from '../../src/metrics/route-host.js';
import { hostRegexp } from '../../src/kubernetes/translate/hosts.js';
import type { RouteDefinition } from '../../src/eskip/definition.js';

function def(predicates: RouteDefinition['predicates']): RouteDefinition {
  return { id: 'r', predicates, filters: [], backend: { type: 'shunt' } };
}

describe('method labels', () => {
  it('keeps the known methods and folds the rest into _other', () => {
    for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']) {
      expect(methodLabel(methodIndex(m))).toBe(m);
    }
    expect(methodLabel(methodIndex('PROPFIND'))).toBe('_other');
    expect(methodLabel(methodIndex('get'))).toBe('_other');
  });
});

describe('escapeHost', () => {
  it('writes hosts as Skipper does', () => {
    expect(escapeHost('www.example.org')).toBe('www_example_org');
    expect(escapeHost('example.org:8080')).toBe('example_org__8080');
    expect(escapeHost('')).toBe('');
  });
});

describe('routeHost', () => {
  it('takes the first HostAny host', () => {
    expect(routeHost(def([{ name: 'HostAny', args: ['A.example.org:9090', 'b.example.org'] }]))).toBe('a.example.org:9090');
  });

  it('reads the literal of the host regexps Ingress translation writes', () => {
    expect(routeHost(def([{ name: 'Host', args: [{ regexp: hostRegexp('www.example.org') }] }]))).toBe('www.example.org');
    expect(routeHost(def([{ name: 'Host', args: [{ regexp: hostRegexp('*.example.org') }] }]))).toBe('*.example.org');
  });

  it('reads simple literal regexps in their usual spellings', () => {
    expect(literalHost('^example\\.org$')).toBe('example.org');
    expect(literalHost('^(example[.]org)$')).toBe('example.org');
    expect(literalHost('^example[.]org(:[0-9]+)?$')).toBe('example.org');
    expect(literalHost('example.com')).toBe('');
  });

  it('gives nothing for hosts that are patterns, and for routes without a host', () => {
    expect(literalHost('^(a|b)\\.example\\.org$')).toBe('');
    expect(literalHost('^.*\\.example\\.org$')).toBe('');
    expect(literalHost('^[ab]\\.example\\.org$')).toBe('');
    expect(literalHost('^\\w+\\.example\\.org$')).toBe('');
    expect(routeHost(def([{ name: 'Path', args: ['/'] }]))).toBe('');
  });

  it('uses the first host predicate', () => {
    expect(
      routeHost(def([{ name: 'Path', args: ['/x'] }, { name: 'Host', args: ['^one\\.example$'] }, { name: 'HostAny', args: ['two.example'] }])),
    ).toBe('one.example');
  });
});
