import { describe, expect, it } from 'vitest';
import { familyOf, metricNames, parseScrape, scraped } from './promql.js';

describe('metricNames', () => {
  it('finds selectors with matchers, ranges, or standing alone', () => {
    expect(metricNames('skiff_kubernetes_synced == 0')).toEqual(['skiff_kubernetes_synced']);
    expect(metricNames('rate(a_total{code=~"5..", host!="x"}[5m]) / b')).toEqual(['a_total', 'b']);
    expect(metricNames('time() - skipper_custom_gauges{key="routes.updated_timestamp"}')).toEqual(['skipper_custom_gauges']);
  });

  it('leaves out functions, aggregations, keywords, label names and strings', () => {
    expect(
      metricNames('histogram_quantile(0.99, sum by (le, host) (rate(x_bucket[5m]))) > 2 and sum without (pod) (rate(y_count[5m])) > 1'),
    ).toEqual(['x_bucket', 'y_count']);
    expect(metricNames('a - on (job) group_left max by (job) (a) < -600')).toEqual(['a']);
    expect(metricNames('count by (reason) (max by (route_id, reason) (skipper_route_invalid)) > 0')).toEqual(['skipper_route_invalid']);
    expect(metricNames('sum(x) unless ignoring (instance) y offset 5m')).toEqual(['x', 'y']);
    expect(metricNames('label_replace(up, "dst", "$1", "src", "(.*)")')).toEqual(['up']);
    expect(metricNames('1e3 * 2 + inf')).toEqual([]);
    // an aggregation's `by` after its argument
    expect(metricNames('sum(rate(z_total[1m])) by (route)')).toEqual(['z_total']);
  });
});

describe('a scrape', () => {
  const text = [
    '# HELP h_seconds a histogram',
    '# TYPE h_seconds histogram',
    'h_seconds_bucket{le="0.1"} 1',
    'h_seconds_bucket{le="+Inf"} 1',
    'h_seconds_sum 0.05',
    'h_seconds_count 1',
    '# TYPE c_total counter',
    'c_total{route="r"} 3',
    '# TYPE empty_total counter',
  ].join('\n');
  const s = parseScrape(text);

  it('knows histogram families by their suffixed samples', () => {
    expect(familyOf('h_seconds_bucket', s.types)).toBe('h_seconds');
    expect(familyOf('c_total_count', s.types)).toBe('c_total_count');
    expect(scraped('h_seconds_bucket', s)).toBe(true);
    expect(scraped('h_seconds_count', s)).toBe(true);
    expect(scraped('h_seconds', s)).toBe(true);
    expect(scraped('c_total', s)).toBe(true);
  });

  it('does not count a family without samples, nor a name it lacks', () => {
    expect(scraped('empty_total', s)).toBe(false);
    expect(scraped('missing', s)).toBe(false);
    expect(scraped('c_total_bucket', s)).toBe(false);
  });
});
