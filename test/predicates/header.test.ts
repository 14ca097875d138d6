/** Header (exact) and HeaderRegexp: case-insensitive key, any value of a repeated header. */
import { describe, expect, it } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { expectInvalidArgs, matches } from './create.js';

describe('Header', () => {
  it.each<[string, string, IncomingHttpHeaders, boolean]>([
    ['X-Env', 'prod', { 'x-env': 'prod' }, true],
    ['x-env', 'prod', { 'x-env': 'prod' }, true],
    ['X-ENV', 'prod', { 'x-env': 'prod' }, true],
    ['X-Env', 'prod', { 'x-env': 'Prod' }, false],
    ['X-Env', 'prod', { 'x-env': 'production' }, false],
    ['X-Env', 'prod', {}, false],
    ['X-Env', 'prod', { 'x-env': 'test, prod' }, true],
    ['X-Env', 'prod', { 'x-env': 'test,prod ' }, true],
    ['X-Env', 'prod', { 'x-env': 'test, production' }, false],
    ['X-Env', 'test, prod', { 'x-env': 'test, prod' }, true],
    ['Set-Cookie', 'b=2', { 'set-cookie': ['a=1', 'b=2'] }, true],
    ['Set-Cookie', 'c=3', { 'set-cookie': ['a=1', 'b=2'] }, false],
    ['X-Empty', '', { 'x-empty': '' }, true],
  ])('Header(%j, %j) on %j → %s', (key, value, headers, expected) => {
    expect(matches('Header', [key, value], { headers })).toBe(expected);
  });

  it.each([
    [['X-Env'], 'a header name and a value'],
    [['X-Env', 'a', 'b'], 'a header name and a value'],
    [['', 'a'], 'must not be empty'],
    [['X-Env', 1], 'must be a string'],
    [['X-Env', { regexp: 'a' }], 'must be a string'],
  ])('rejects Header(%j)', (args, fragment) => {
    expectInvalidArgs('Header', args, fragment);
  });
});

describe('HeaderRegexp', () => {
  it.each<[string, string | { regexp: string }, IncomingHttpHeaders, boolean]>([
    ['User-Agent', { regexp: 'Firefox' }, { 'user-agent': 'Mozilla/5.0 Firefox/120' }, true],
    ['User-Agent', { regexp: 'Firefox' }, { 'user-agent': 'curl/8' }, false],
    ['User-Agent', { regexp: 'Firefox' }, {}, false],
    ['x-v', { regexp: '^v2$' }, { 'x-v': 'v1, v2' }, true],
    ['x-v', { regexp: '^v3$' }, { 'x-v': 'v1, v2' }, false],
    ['x-v', '^v[0-9]$', { 'x-v': 'v7' }, true],
    ['set-cookie', { regexp: '^b=' }, { 'set-cookie': ['a=1', 'b=2'] }, true],
  ])('HeaderRegexp(%j, %j) on %j → %s', (key, re, headers, expected) => {
    expect(matches('HeaderRegexp', [key, re], { headers })).toBe(expected);
  });

  it.each([
    [['X'], 'a header name and a regexp'],
    [['X', { regexp: '(' }], 'invalid regexp'],
    [[1, { regexp: 'a' }], 'must be a string'],
  ])('rejects HeaderRegexp(%j)', (args, fragment) => {
    expectInvalidArgs('HeaderRegexp', args, fragment);
  });
});
