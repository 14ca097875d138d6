import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../filters/timeout/duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['+0', 0],
    ['10s', 10_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['5.s', 5000],
    ['-2s', -2000],
    ['+3ms', 3],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['1500μs', 1.5],
    ['2000000ns', 2],
    ['1h2m3s4ms', 3_723_004],
  ])('%j is %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '10', '1.5', 's', '.s', '10x', '10 s', '1s ', ' 1s', '-', '1s-2s', '1d', 'ms10', '1..5s', '00'])(
    'rejects %j',
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );
});
