import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../../filters/header/header-args.js';
import {
  encodeGoQuery,
  firstGoQueryValue,
  parseGoQuery,
  queryEscape,
  queryUnescape,
} from '../../../filters/query/go-query.js';
import { toRawQuery } from '../../../filters/query/raw-query.js';

describe('parseGoQuery (url.ParseQuery)', () => {
  it.each([
    ['', []],
    ['a=1&b=2&a=3', [['a', ['1', '3']], ['b', ['2']]]],
    ['a+b=c+d&e=%20', [['a b', ['c d']], ['e', [' ']]]],
    ['flag&x=', [['flag', ['']], ['x', ['']]]],
    ['&&a=1&', [['a', ['1']]]],
    ['=v', [['', ['v']]]],
    ['a=b=c', [['a', ['b=c']]]],
    // a pair holding a semicolon is refused, not split
    ['a;b=1&c=2', [['c', ['2']]]],
    ['a=1;b=2', []],
    // a pair with an invalid escape is dropped, in the key or in the value
    ['%zz=1&x=%4&y=%4g&ok=1', [['ok', ['1']]]],
    ['%41=%42%43', [['A', ['BC']]]],
    ['k=%E9', [['k', ['\u00e9']]]],
    ['k=%C3%A9', [['k', ['\u00c3\u00a9']]]],
  ] as [string, [string, string[]][]][])('%j', (raw, expected) => {
    expect([...parseGoQuery(raw)]).toEqual(expected);
  });
});

describe('queryUnescape', () => {
  it.each([
    ['plain', 'plain'],
    ['a+b', 'a b'],
    ['%2B', '+'],
    ['%', null],
    ['%a', null],
    ['a%2', null],
    ['%GG', null],
    ['%0d%0A', '\r\n'],
  ])('%j → %j', (s, expected) => {
    expect(queryUnescape(s)).toBe(expected);
  });
});

describe('encodeGoQuery (url.Values.Encode)', () => {
  it.each([
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['b=2&a=1&b=1', 'a=1&b=2&b=1'],
    ['B=1&a=1&_=1&-=1&~=1', '-=1&B=1&_=1&a=1&~=1'],
    ['flag', 'flag='],
    ['q=a%20b&r=a+b', 'q=a+b&r=a+b'],
    ['p=/x?y', 'p=%2Fx%3Fy'],
    ['s=!*()\'', 's=%21%2A%28%29%27'],
    ['k=%e9&k=%C3%A9', 'k=%E9&k=%C3%A9'],
    ['x=1&bad=%&y=2', 'x=1&y=2'],
    ['t=a~b.c_d-e', 't=a~b.c_d-e'],
  ])('%j → %j', (raw, expected) => {
    expect(encodeGoQuery(parseGoQuery(raw))).toBe(expected);
  });

  it('sorts keys bytewise', () => {
    const values = new Map([
      [utf8Bytes('é'), ['1']],
      ['z', ['2']],
      ['Z', ['3']],
    ]);
    expect(encodeGoQuery(values)).toBe('Z=3&z=2&%C3%A9=1');
  });
});

describe('queryEscape', () => {
  it.each([
    ['abc', 'abc'],
    ['a b', 'a+b'],
    ['a&b=c', 'a%26b%3Dc'],
    ['\u00ff', '%FF'],
    ['€', '%E2%82%AC'],
    ['😀', '%F0%9F%98%80'],
  ])('%j → %j', (s, expected) => {
    expect(queryEscape(s)).toBe(expected);
  });
});

describe('firstGoQueryValue (url.Values.Get)', () => {
  it.each([
    ['a=1&a=2', 'a', '1'],
    ['a=&a=2', 'a', ''],
    ['a=%zz&a=2', 'a', '2'],
    ['a+b=1', 'a b', '1'],
    ['x=1', 'a', ''],
    ['', 'a', ''],
  ])('%j, %j → %j', (raw, key, expected) => {
    expect(firstGoQueryValue(raw, key)).toBe(expected);
  });
});

describe('toRawQuery', () => {
  it.each([
    ['a=b&c=d', 'a=b&c=d'],
    ["k=/?:@!$'()*+,;=-._~%41", "k=/?:@!$'()*+,;=-._~%41"],
    ['a b', 'a%20b'],
    ['x#y"<>', 'x%23y%22%3C%3E'],
    ['é', '%C3%A9'],
    ['\r\n', '%0D%0A'],
  ])('%j → %j', (q, expected) => {
    expect(toRawQuery(q)).toBe(expected);
  });
});
