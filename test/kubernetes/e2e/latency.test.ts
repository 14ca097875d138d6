/**
 * Change-to-traffic latency: the time from an API event (an Ingress created, an EndpointSlice
 * changed) to the first request served by the new table, with the watch's production debounce
 * (100 ms quiet, 500 ms at most). Prints p50/p99; Skipper polls every 3 s, so anything well under
 * a second is the point. SKIFF_LATENCY_CHANGES sets the number of changes (default 30).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointSlice, expose, ingress, rule, send, startCluster, startPod } from './harness.js';
import type { Cluster, Pod } from './harness.js';

const CHANGES = Math.max(2, Number(process.env['SKIFF_LATENCY_CHANGES'] ?? 30));

let c: Cluster;
const pods: Pod[] = [];

beforeAll(async () => {
  // The watch as the command line builds it: default debounce and retry settings.
  c = await startCluster({ watch: { debounceMs: 100, maxWaitMs: 500, tuning: {} } });
  for (const name of ['blue', 'green']) pods.push(await startPod('lat', `lat-${name}`));
  expose(c.fake, [pods[0]!]);
  c.fake.create('ingresses', ingress('lat-base', { rules: [rule('lat-base.example.org', [['/', 'Prefix', 'lat']])] }));
  const deadline = Date.now() + 5000;
  while ((await send(c.url(), 'lat-base.example.org', '/')).status !== 200) {
    if (Date.now() > deadline) throw new Error('base Ingress never served');
    await new Promise((r) => setTimeout(r, 20));
  }
});

afterAll(async () => {
  await c?.close();
  await Promise.all(pods.map((p) => p.close()));
});

/** Sends requests back to back until one is answered as wanted; returns when that answer arrived. */
async function firstServed(host: string, wanted: (pod: string | undefined, status: number) => boolean, timeoutMs = 5000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const a = await send(c.url(), host, '/');
    const at = performance.now();
    if (wanted(a.echo?.pod, a.status)) return at;
    if (at > deadline) throw new Error(`${host} not served as wanted within ${timeoutMs} ms`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('change-to-traffic latency', () => {
  it(`serves ${CHANGES} API changes (Ingress creations, EndpointSlice updates) within a second each`, async () => {
    const ingressMs: number[] = [];
    const endpointMs: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      if (i % 2 === 0) {
        const host = `lat-${i}.example.org`;
        const t0 = performance.now();
        c.fake.create('ingresses', ingress(`lat-${i}`, { rules: [rule(host, [['/', 'Prefix', 'lat']])] }));
        ingressMs.push((await firstServed(host, (_pod, status) => status === 200)) - t0);
      } else {
        // Move the Service to the other pod and wait for the first request that reaches it.
        const next = pods[(i >> 1) % 2 === 0 ? 1 : 0]!;
        const t0 = performance.now();
        c.fake.update('endpointslices', endpointSlice('lat', [next]));
        endpointMs.push((await firstServed('lat-base.example.org', (pod) => pod === next.name)) - t0);
      }
      // Let the watch settle so each change is measured alone.
      await new Promise((r) => setTimeout(r, 50));
    }
    const all = [...ingressMs, ...endpointMs].sort((a, b) => a - b);
    const fmt = (xs: number[]): string => {
      const s = [...xs].sort((a, b) => a - b);
      return `p50 ${percentile(s, 50).toFixed(0)} ms, p99 ${percentile(s, 99).toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms (n=${s.length})`;
    };
    console.log(`change → first request on the new table: all ${fmt(all)}; Ingress created ${fmt(ingressMs)}; EndpointSlice updated ${fmt(endpointMs)}`);
    expect(all).toHaveLength(CHANGES);
    expect(percentile(all, 99)).toBeLessThan(1000);
  }, 10_000 + CHANGES * 1_000);
});
