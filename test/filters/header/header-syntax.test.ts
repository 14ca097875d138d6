import { describe, expect, it } from 'vitest';
import { isValidHeaderName, isValidHeaderValue } from '../../../filters/header/header-syntax.js';

describe('isValidHeaderName', () => {
  it.each(['X-Foo', 'host', 'a', "!#$%&'*+-.^_`|~09AZaz"])('accepts %j', (name) => {
    expect(isValidHeaderName(name)).toBe(true);
  });
  it.each(['', 'X Foo', 'X:Foo', 'X-Fö', 'a\r\nb', '(x)', '__proto__', 'x/y', 'x"y'])('rejects %j', (name) => {
    expect(isValidHeaderName(name)).toBe(false);
  });
});

describe('isValidHeaderValue', () => {
  it.each(['', 'plain', 'with space', 'tab\there', 'Zürich', '${request.path}', '~!@#'])('accepts %j', (value) => {
    expect(isValidHeaderValue(value)).toBe(true);
  });
  it.each(['a\rb', 'a\nb', 'a\r\nInjected: 1', 'nul\0', 'bell\x07', 'del\x7f', 'emoji \u{1F600}', 'ĉ'])(
    'rejects %j',
    (value) => {
      expect(isValidHeaderValue(value)).toBe(false);
    },
  );
});
