/** ClientIP (TCP peer), Source (first X-Forwarded-For entry) and SourceFromLast (last entry). */
import { describe, expect, it } from 'vitest';
import type { TestRequest } from '../helpers/request.js';
import { expectInvalidArgs, matches } from './create.js';

const nets = ['10.0.0.0/8', '2001:db8::/32'];

describe('ClientIP', () => {
  it.each<[TestRequest, boolean]>([
    [{ remoteAddress: '10.1.2.3' }, true],
    [{ remoteAddress: '192.168.0.1' }, false],
    [{ remoteAddress: '2001:db8::5' }, true],
    [{ remoteAddress: '::ffff:10.0.0.9' }, true],
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': '10.0.0.1' } }, false],
  ])('ClientIP(10.0.0.0/8, 2001:db8::/32) on %j → %s', (r, expected) => {
    expect(matches('ClientIP', nets, r)).toBe(expected);
  });
});

describe('Source', () => {
  it.each<[TestRequest, boolean]>([
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': '10.0.0.1' } }, true],
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': '10.0.0.1, 172.16.0.1' } }, true],
    [{ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '172.16.0.1, 10.0.0.2' } }, false],
    [{ remoteAddress: '10.0.0.1' }, true],
    [{ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': 'unknown' } }, true],
    [{ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '' } }, true],
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': ' 2001:db8::1 ,1.1.1.1' } }, true],
  ])('Source(10.0.0.0/8, 2001:db8::/32) on %j → %s', (r, expected) => {
    expect(matches('Source', nets, r)).toBe(expected);
  });
});

describe('SourceFromLast', () => {
  it.each<[TestRequest, boolean]>([
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': '1.1.1.1, 10.0.0.1' } }, true],
    [{ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '10.0.0.1, 1.1.1.1' } }, false],
    [{ remoteAddress: '10.0.0.1' }, true],
    [{ remoteAddress: '192.168.0.1', headers: { 'x-forwarded-for': '10.0.0.7' } }, true],
    [{ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '1.1.1.1, garbage' } }, true],
  ])('SourceFromLast(10.0.0.0/8, 2001:db8::/32) on %j → %s', (r, expected) => {
    expect(matches('SourceFromLast', nets, r)).toBe(expected);
  });
});

describe('address predicates reject bad lists', () => {
  it.each([
    ['ClientIP', [], 'one or more'],
    ['Source', ['10.0.0.0/33'], '10.0.0.0/33'],
    ['SourceFromLast', ['nope'], 'nope'],
    ['ClientIP', [10], 'must be a string'],
  ] as const)('%s(%j)', (name, args, fragment) => {
    expectInvalidArgs(name, args, fragment);
  });
});
