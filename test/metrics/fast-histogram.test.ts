import { describe, expect, it } from 'vitest';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { FastHistogram } from '../../src/metrics/fast-histogram.js';

const observations: [string, string, number][] = [
  ['200', 'GET', 0.003],
  ['200', 'GET', 0.005],
  ['200', 'GET', 0.0051],
  ['200', 'GET', 0.7],
  ['404', 'GET', 12],
  ['200', 'POST', 0.02],
];

function pair() {
  const a = new Registry();
  const b = new Registry();
  const reference = new Histogram({ name: 'h_seconds', help: 'help text', labelNames: ['code', 'method'], registers: [a] });
  const fast = new FastHistogram({ name: 'h_seconds', help: 'help text', labelNames: ['code', 'method'], registers: [b] });
  for (const [code, method, v] of observations) {
    reference.observe({ code, method }, v);
    fast.series(code, method).observe(v);
  }
  return { a, b, fast };
}

describe('FastHistogram', () => {
  it('renders exactly as prom-client renders the same observations', async () => {
    const { a, b } = pair();
    expect(await b.metrics()).toBe(await a.metrics());
    expect(await b.getMetricsAsJSON()).toStrictEqual(await a.getMetricsAsJSON());
  });

  it('renders an unlabelled histogram with zeros before the first observation, like prom-client', async () => {
    const a = new Registry();
    const b = new Registry();
    new Histogram({ name: 'plain', help: 'p', registers: [a] });
    new FastHistogram({ name: 'plain', help: 'p', registers: [b] });
    expect(await b.metrics()).toBe(await a.metrics());
  });

  it('aggregates across workers as a histogram', async () => {
    const { a, b } = pair();
    const merged = AggregatorRegistry.aggregate([await a.getMetricsAsJSON(), await b.getMetricsAsJSON()]);
    const text = await merged.metrics();
    expect(text).toContain('h_seconds_count{code="200",method="GET"} 8');
    expect(text).toContain('h_seconds_bucket{le="0.005",code="200",method="GET"} 4');
  });

  it('shares one series between callers with the same label values, and resets', async () => {
    const { b, fast } = pair();
    expect(fast.series('200', 'GET')).toBe(fast.series('200', 'GET'));
    expect(() => fast.series('200')).toThrow(/expected 2 label values/);
    fast.reset();
    expect(await b.metrics()).not.toContain('h_seconds_count');
  });
});
