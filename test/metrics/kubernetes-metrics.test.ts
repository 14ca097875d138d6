import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createKubernetesMetrics, type WatchStatsSource } from '../../src/metrics/kubernetes-metrics.js';
import { parseExposition, sampleValue } from './exposition.js';

async function scrape(registry: Registry) {
  return parseExposition(await registry.metrics());
}

describe('Kubernetes metrics', () => {
  it('counts what the source pushes', async () => {
    const registry = new Registry();
    const k = createKubernetesMetrics(registry, undefined);
    k.synced('ingresses', true);
    k.synced('services', false);
    k.watchRestart('ingresses');
    k.watchRestart('ingresses');
    k.event('ingresses', 'ADDED');
    k.event('ingresses', 'MODIFIED');
    k.event('ingresses', 'MODIFIED');
    k.event('ingresses', 'WHATEVER');
    k.relist('services');
    k.apiError('services');
    k.rebuild(0.02);
    const s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_synced', { kind: 'ingresses' })).toBe(1);
    expect(sampleValue(s, 'skiff_kubernetes_synced', { kind: 'services' })).toBe(0);
    expect(sampleValue(s, 'skiff_kubernetes_watch_restarts_total', { kind: 'ingresses' })).toBe(2);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'ingresses', type: 'MODIFIED' })).toBe(2);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'ingresses', type: 'OTHER' })).toBe(1);
    expect(sampleValue(s, 'skiff_kubernetes_relists_total', { kind: 'services' })).toBe(1);
    expect(sampleValue(s, 'skiff_kubernetes_api_errors_total', { kind: 'services' })).toBe(1);
    expect(sampleValue(s, 'skiff_kubernetes_rebuild_duration_seconds_count', {})).toBe(1);
  });

  it('follows cumulative watch stats, adding only the increase at each scrape', async () => {
    const registry = new Registry();
    const k = createKubernetesMetrics(registry, undefined);
    const reflector = (name: string, resource: string, synced: boolean, restarts: number, added: number) => ({
      name,
      resource,
      synced,
      watchRestarts: restarts,
      relists: 0,
      errors: restarts,
      events: { ADDED: added, MODIFIED: 0, DELETED: 0, BOOKMARK: 0, ERROR: 0 },
    });
    let stats: WatchStatsSource = {
      reflectors: [reflector('ingresses@a', 'ingresses', true, 1, 5), reflector('ingresses@b', 'ingresses', false, 2, 1), reflector('services', 'services', true, 0, 3)],
    };
    k.follow(() => stats);
    let s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_watch_restarts_total', { kind: 'ingresses' })).toBe(3);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'ingresses', type: 'ADDED' })).toBe(6);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'services', type: 'ADDED' })).toBe(3);
    // A kind is synced only when every one of its collections is.
    expect(sampleValue(s, 'skiff_kubernetes_synced', { kind: 'ingresses' })).toBe(0);
    expect(sampleValue(s, 'skiff_kubernetes_synced', { kind: 'services' })).toBe(1);

    stats = {
      reflectors: [reflector('ingresses@a', 'ingresses', true, 1, 7), reflector('ingresses@b', 'ingresses', true, 4, 1), reflector('services', 'services', true, 0, 3)],
    };
    s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_watch_restarts_total', { kind: 'ingresses' })).toBe(5);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'ingresses', type: 'ADDED' })).toBe(8);
    expect(sampleValue(s, 'skiff_kubernetes_api_errors_total', { kind: 'ingresses' })).toBe(5);
    expect(sampleValue(s, 'skiff_kubernetes_synced', { kind: 'ingresses' })).toBe(1);
    // Scraping again without change adds nothing.
    s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_watch_restarts_total', { kind: 'ingresses' })).toBe(5);
  });

  it('shows the counters of a followed kind at 0 before anything happened, so that the first error is an increase', async () => {
    const registry = new Registry();
    const k = createKubernetesMetrics(registry, undefined);
    const events = { ADDED: 0, MODIFIED: 0, DELETED: 0, BOOKMARK: 0, ERROR: 0 };
    let errors = 0;
    k.follow(() => ({ reflectors: [{ name: 'services', resource: 'services', synced: true, watchRestarts: 0, relists: 0, errors, events }] }));
    let s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_api_errors_total', { kind: 'services' })).toBe(0);
    expect(sampleValue(s, 'skiff_kubernetes_watch_restarts_total', { kind: 'services' })).toBe(0);
    expect(sampleValue(s, 'skiff_kubernetes_relists_total', { kind: 'services' })).toBe(0);
    expect(sampleValue(s, 'skiff_kubernetes_events_total', { kind: 'services', type: 'ERROR' })).toBe(0);
    errors = 1;
    s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_api_errors_total', { kind: 'services' })).toBe(1);
  });

  it('gives the time the API server last answered about each kind: its oldest collection, none before an answer', async () => {
    const registry = new Registry();
    const k = createKubernetesMetrics(registry, undefined);
    const reflector = (name: string, resource: string, lastSyncAt: number | undefined) => ({
      name,
      resource,
      synced: lastSyncAt !== undefined,
      watchRestarts: 0,
      relists: 0,
      errors: 0,
      events: {},
      lastSyncAt,
    });
    let stats: WatchStatsSource = {
      reflectors: [reflector('ingresses@a', 'ingresses', 1_700_000_010_000), reflector('ingresses@b', 'ingresses', 1_700_000_004_500), reflector('services', 'services', undefined)],
    };
    k.follow(() => stats);
    let s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_last_sync_timestamp_seconds', { kind: 'ingresses' })).toBe(1_700_000_004.5);
    expect(sampleValue(s, 'skiff_kubernetes_last_sync_timestamp_seconds', { kind: 'services' })).toBeUndefined();
    stats = { reflectors: [reflector('ingresses@a', 'ingresses', 1_700_000_020_000), reflector('ingresses@b', 'ingresses', 1_700_000_030_000), reflector('services', 'services', 1_700_000_025_000)] };
    s = await scrape(registry);
    expect(sampleValue(s, 'skiff_kubernetes_last_sync_timestamp_seconds', { kind: 'ingresses' })).toBe(1_700_000_020);
    expect(sampleValue(s, 'skiff_kubernetes_last_sync_timestamp_seconds', { kind: 'services' })).toBe(1_700_000_025);
  });
});
