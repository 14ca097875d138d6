/**
 * Route regexps that backtrack catastrophically (`(a+)+`) or for a long time (`[a-z]+$` on 16 KB
 * of letters) on a crafted path, Host or header: in Skipper, RE2 runs them in linear time; here
 * skiff's lazy DFA does (src/predicates/linear/), so a request an attacker shapes costs
 * milliseconds, not the event loop for seconds or minutes. Measured on V8's own engine:
 * `(a+)+` with 28 letters 1.1 s, doubling per two more; `(a+){1,32}` with 24 letters 0.5 s (V8's
 * linear fallback declines it); `[a-z]+[a-z]{20}y` on 16,000 letters 7.7 s; `\d{1,100}` three
 * times on 8,000 digits 15 s; `[a-z]+$` on 16,000 letters 77 ms per request.
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
      `counted: PathRegexp("^/c/(a+){1,32}$") -> inlineContent("counted") -> <shunt>;`,
      `overlap: PathRegexp("[a-z]+[a-z]{20}y") -> inlineContent("overlap") -> <shunt>;`,
      `digits: HeaderRegexp("X-Digits", "[0-9]{1,100}[0-9]{1,100}[0-9]{1,100}x") -> inlineContent("digits") -> <shunt>;`,
      `tail: PathRegexp("[a-z]+$") -> inlineContent("tail") -> <shunt>;`,
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
    ['counted repetition', `/c/${'a'.repeat(40)}!`, {}],
    ['overlapping repetitions', `/${'a'.repeat(12_000)}!`, {}],
    ['three ranges of digits', '/', { 'x-digits': '1'.repeat(8000) }],
  ] as [string, string, Record<string, string>][])('%s: answered at once, by the route that does match', async (_name, path, headers) => {
    const started = Date.now();
    const r = await request(`${proxy.url}${path}`, { headers });
    expect(r.status).toBe(200);
    expect(r.text).toBe('rest');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a quadratic expression: 60 requests with a 12,000-letter path take well under 2 s together', async () => {
    // V8 alone takes about 45 ms per request here, 2.7 s for the 60. Counted in CPU time of
    // this process (skiff runs in it): the wall clock also counts what other processes on a
    // loaded machine take from it.
    const started = process.cpuUsage();
    for (let n = 0; n < 60; n++) expect((await request(`${proxy.url}/${'a'.repeat(12_000)}!`)).text).toBe('rest');
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(1500);
  });

  it('still matches the inputs the expressions are meant for', async () => {
    expect((await request(`${proxy.url}/p/aaaa`)).text).toBe('path');
    expect((await request(`${proxy.url}/i/AaAa`)).text).toBe('caseless');
    expect((await request(`${proxy.url}/`, { headers: { host: 'AAA.Example' } })).text).toBe('host');
    expect((await request(`${proxy.url}/`, { headers: { 'x-token': 'aaaaa' } })).text).toBe('header');
    expect((await request(`${proxy.url}/c/aaaa`)).text).toBe('counted');
    expect((await request(`${proxy.url}/${'b'.repeat(21)}y`)).text).toBe('overlap');
    expect((await request(`${proxy.url}/`, { headers: { 'x-digits': '123x' } })).text).toBe('digits');
    expect((await request(`${proxy.url}/tail`)).text).toBe('tail');
  });
});

describe('a crafted request against a backtracking rewrite', () => {
  let rewriting: RunningSkiff;
  beforeAll(async () => {
    rewriting = await startSkiff(
      [
        `path: PathSubtree("/m") -> modPath(/[a-z]+[a-z]{20}y/, "Y") -> inlineContent("rewrote") -> <shunt>;`,
        `header: PathSubtree("/h") -> modRequestHeader("X-Token", /[a-z]+[a-z]{20}y/, "t") -> inlineContent("rewrote") -> <shunt>;`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rewriting.stop();
  });

  it.each([
    ['modPath', `/m/${'a'.repeat(12_000)}!`, {}],
    ['modRequestHeader', '/h', { 'x-token': `${'a'.repeat(12_000)}!` }],
  ] as [string, string, Record<string, string>][])('%s: a text the expression does not match is answered at once', async (_name, path, headers) => {
    const started = Date.now();
    const r = await request(`${rewriting.url}${path}`, { headers });
    expect(r.text).toBe('rewrote');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
