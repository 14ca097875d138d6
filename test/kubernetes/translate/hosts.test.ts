import { describe, expect, it } from 'vitest';
import { analyzeHostRegexp } from '../../../src/routing/host-pattern.js';
import { checkHost, hostRegexp } from '../../../src/kubernetes/translate/hosts.js';
import { routeId, catchAllId, customRouteId, defaultBackendId } from '../../../src/kubernetes/translate/ids.js';

describe('checkHost', () => {
  it('normalises case and a trailing dot', () => {
    expect(checkHost('WWW.Example.ORG.')).toEqual({ ok: true, host: 'www.example.org' });
    expect(checkHost('*.Example.org')).toEqual({ ok: true, host: '*.example.org' });
  });

  it.each(['*', '*.', 'a.*.org', 'a..org', 'a.org:80', '-a.org', 'a_b.org', '10.0.0.1:80', '', '*.*.org', '**.org', 'a-.org', '.a.org', '*a.org', 'a.org-', '..'])('rejects %j', (host) => {
    expect(checkHost(host).ok).toBe(false);
  });

  it('accepts exactly the names whose every label is valid (a `*` only as the first of several)', () => {
    const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    const byLabels = (host: string): boolean => {
      const labels = host.split('.');
      return labels.every((l, i) => label.test(l) || (l === '*' && i === 0 && labels.length > 1));
    };
    const parts = ['a', 'b1', '9', 'x-y', '-', 'a-', '-a', '*', '', 'ab--c', '_'];
    for (const p1 of parts) {
      for (const p2 of ['', ...parts]) {
        for (const p3 of ['', ...parts]) {
          // one to three labels; empty ones only inside (a trailing dot is dropped by design)
          const name = [p1, p2, p3].slice(0, p3 === '' ? (p2 === '' ? 1 : 2) : 3).join('.');
          expect(checkHost(name).ok, name).toBe(name !== '' && byLabels(name));
        }
      }
    }
  });
});

describe('hostRegexp', () => {
  it('gives shapes the matcher indexes, for exact and wildcard hosts', () => {
    expect(analyzeHostRegexp(hostRegexp('www.example.org'))).toEqual({ kind: 'exact', hosts: ['www.example.org'], complete: true, bareComplete: true });
    expect(analyzeHostRegexp(hostRegexp('*.example.org'))).toEqual({ kind: 'wildcard', suffix: 'example.org', complete: true, bareComplete: true });
  });

  it('matches one label for a wildcard, any port, an optional trailing dot', () => {
    const rx = new RegExp(hostRegexp('*.foo.com'));
    expect(rx.test('bar.foo.com')).toBe(true);
    expect(rx.test('bar.foo.com.:8080')).toBe(true);
    expect(rx.test('baz.bar.foo.com')).toBe(false);
    expect(rx.test('foo.com')).toBe(false);
    const exact = new RegExp(hostRegexp('foo.bar.com'));
    expect(exact.test('foo.bar.com:443')).toBe(true);
    expect(exact.test('fooxbar.com')).toBe(false);
  });
});

describe('route ids', () => {
  it('follow Skipper’s shapes', () => {
    expect(routeId('foo', 'qux', 'www.example.org', '/foo', 'bar')).toBe('kube_foo__qux__www_example_org___foo__bar');
    expect(defaultBackendId('namespace1', 'ingress1')).toBe('kube_namespace1__ingress1______');
    expect(catchAllId('www.example.org')).toBe('kube___catchall__www_example_org____');
    expect(customRouteId('ns', 'ing', 'r1', 0, 'a.org', '/x')).toBe('kube_ns__ing_r1_0__a_org_x____');
  });
});
