import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { TableMetrics, invalidReason } from '../../src/metrics/table-metrics.js';
import type { Route } from '../../src/routing/route.js';
import { parseExposition, sampleValue } from './exposition.js';

function route(id: string, host?: string): Route {
  return {
    id,
    definition: { id, predicates: host === undefined ? [] : [{ name: 'HostAny', args: [host] }], filters: [], backend: { type: 'shunt' } },
    filters: [],
    backend: { type: 'shunt' },
  };
}

describe('route table metrics', () => {
  it('shortens error codes into reasons', () => {
    expect(invalidReason('SKIFF_ERR_UNKNOWN_FILTER')).toBe('unknown_filter');
    expect(invalidReason('SKIFF_ERR_INVALID_ARGS')).toBe('invalid_args');
    expect(invalidReason('')).toBe('other');
  });

  it('sums listeners, replaces the invalid series on each update, and hands over the route hosts', async () => {
    const registry = new Registry();
    let hosts: ReadonlyMap<string, string> = new Map();
    const t = new TableMetrics(registry, (h) => (hosts = h));
    const created = new Date('2024-05-01T10:00:00Z');
    t.update('external', { routes: [route('a', 'a.example'), route('b')], createdAt: created }, [{ id: 'x', code: 'SKIFF_ERR_UNKNOWN_FILTER', reason: '…' }]);
    t.update('internal', { routes: [route('c', 'c.example')], createdAt: created }, []);
    let s = parseExposition(await registry.metrics());
    expect(sampleValue(s, 'skipper_custom_gauges', { key: 'routes.total' })).toBe(3);
    expect(sampleValue(s, 'skipper_custom_gauges', { key: 'routes.updated_timestamp' })).toBe(created.getTime() / 1000);
    expect(sampleValue(s, 'skiff_route_table_routes', { listener: 'external' })).toBe(2);
    expect(sampleValue(s, 'skipper_route_invalid', { route_id: 'x', reason: 'unknown_filter' })).toBe(1);
    expect([...hosts]).toEqual([
      ['a', 'a.example'],
      ['c', 'c.example'],
    ]);

    // The external table is fixed: its invalid route disappears from the gauge.
    t.update('external', { routes: [route('a', 'a.example')], createdAt: created }, []);
    s = parseExposition(await registry.metrics());
    expect(sampleValue(s, 'skipper_route_invalid', { route_id: 'x', reason: 'unknown_filter' })).toBeUndefined();
    expect(sampleValue(s, 'skipper_custom_gauges', { key: 'routes.total' })).toBe(2);
  });
});
