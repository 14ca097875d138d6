/**
 * Route regexps that backtrack catastrophically (`(a+)+`) on a crafted path or Host header: in
 * Skipper, RE2 runs them in linear time; here V8 moves them to its linear-time engine, so a
 * request an attacker shapes costs milliseconds, not the event loop for minutes. Each request
 * below takes more than a minute without that (measured: 28 letters 1.1 s, doubling per two).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';

let proxy: RunningSkiff;
beforeAll(async () => {
  proxy = await startSkiff(
    [
      `path: PathRegexp("^/p/(a+)+$") -> inlineContent("path") -> <shunt>;`,
      `caseless: PathRegexp("(?i)^/i/(a+)+$") -> inlineContent("caseless") -> <shunt>;`,
      `host: Host(/^(a+)+[.]example$/) -> inlineContent("host") -> <shunt>;`,
      `header: HeaderRegexp("X-Token", "^(a|aa)+$") -> inlineContent("header") -> <shunt>;`,
      `rest: * -> inlineContent("rest") -> <shunt>;`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await proxy.stop();
});

const evil = 'a'.repeat(64) + '!';

describe('a crafted request against a backtracking route regexp', () => {
  it.each([
    ['path', `/p/${evil}`, {}],
    ['(?i) path', `/i/${evil.toUpperCase()}`, {}],
    ['Host', '/', { host: `${evil}.example` }],
    ['header', '/', { 'x-token': evil }],
  ] as [string, string, Record<string, string>][])('%s: answered at once, by the route that does match', async (_name, path, headers) => {
    const started = Date.now();
    const r = await request(`${proxy.url}${path}`, { headers });
    expect(r.status).toBe(200);
    expect(r.text).toBe('rest');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still matches the inputs the expressions are meant for', async () => {
    expect((await request(`${proxy.url}/p/aaaa`)).text).toBe('path');
    expect((await request(`${proxy.url}/i/AaAa`)).text).toBe('caseless');
    expect((await request(`${proxy.url}/`, { headers: { host: 'AAA.Example' } })).text).toBe('host');
    expect((await request(`${proxy.url}/`, { headers: { 'x-token': 'aaaaa' } })).text).toBe('header');
  });
});
