import { describe, expect, it } from 'vitest';
import { compileGoFormat } from '../../../filters/query/go-format.js';

describe('compileGoFormat (fmt.Sprintf with one string operand)', () => {
  it.each([
    ['%s', 'tok', 'tok'],
    ['%v', 'tok', 'tok'],
    ['Bearer %s', 'tok', 'Bearer tok'],
    ['<%s>', '', '<>'],
    ['%x', 'hi', '6869'],
    ['%X', 'hi\u00ff', '6869FF'],
    ['%T', 'tok', 'string'],
    ['100%% %s', 'tok', '100% tok'],
    ['%s and %s', 'tok', 'tok and %!s(MISSING)'],
    ['%s%v%%%d', 'tok', 'tok%!v(MISSING)%%!d(MISSING)'],
    ['Bearer', 'tok', 'Bearer%!(EXTRA string=tok)'],
    ['', 'tok', '%!(EXTRA string=tok)'],
    ['%%', 'tok', '%%!(EXTRA string=tok)'],
    ['%d', 'tok', '%!d(string=tok)'],
    ['id=%w', 'tok', 'id=%!w(string=tok)'],
    ['x %', 'tok', 'x %!(NOVERB)%!(EXTRA string=tok)'],
    // the format's own text is sent as UTF-8 bytes
    ['é %s', 'tok', '\u00c3\u00a9 tok'],
    ['%é', 'tok', '%!\u00c3\u00a9(string=tok)'],
  ])('%j with %j gives %j', (format, value, expected) => {
    expect(compileGoFormat(format).apply(value)).toBe(expected);
  });

  it.each(['%5s', '%-s', '%+v', '%#v', '% s', '%0s', '%.2s', '%*s', '%[1]s', '%q'])('refuses %j', (format) => {
    expect(() => compileGoFormat(format)).toThrow(/skiff does not support/);
  });

  it('tells its literal text apart from the value', () => {
    expect(compileGoFormat('Bearer %s').literalText).toBe('Bearer ');
    expect(compileGoFormat('a\n%s').literalText).toBe('a\n');
  });
});
