import { describe, expect, it } from 'vitest';
import { isValidTraceparent, traceIdOf } from '../../src/tracing/traceparent.js';

const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
const span = '00f067aa0ba902b7';

describe('isValidTraceparent', () => {
  it('accepts version 00 of exactly 55 characters, sampled or not', () => {
    expect(isValidTraceparent(`00-${trace}-${span}-01`)).toBe(true);
    expect(isValidTraceparent(`00-${trace}-${span}-00`)).toBe(true);
  });

  it('accepts later versions with more fields after a dash', () => {
    expect(isValidTraceparent(`cc-${trace}-${span}-01`)).toBe(true);
    expect(isValidTraceparent(`cc-${trace}-${span}-01-what-the-future-holds`)).toBe(true);
    expect(isValidTraceparent(`cc-${trace}-${span}-01x`)).toBe(false);
  });

  it.each([
    ['version 00 with extra characters', `00-${trace}-${span}-01-x`],
    ['version ff', `ff-${trace}-${span}-01`],
    ['a zero trace id', `00-${'0'.repeat(32)}-${span}-01`],
    ['a zero span id', `00-${trace}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${trace.toUpperCase()}-${span}-01`],
    ['a short trace id', `00-${trace.slice(1)}-${span}-01`],
    ['wrong separators', `00_${trace}_${span}_01`],
    ['non-hex flags', `00-${trace}-${span}-0g`],
    ['empty', ''],
  ])('rejects %s', (_what, value) => {
    expect(isValidTraceparent(value)).toBe(false);
  });
});

describe('traceIdOf', () => {
  it('gives the trace id of a valid header and nothing otherwise', () => {
    expect(traceIdOf(`00-${trace}-${span}-01`)).toBe(trace);
    expect(traceIdOf('junk')).toBe('');
    expect(traceIdOf(undefined)).toBe('');
    expect(traceIdOf([`00-${trace}-${span}-01`])).toBe('');
  });
});
