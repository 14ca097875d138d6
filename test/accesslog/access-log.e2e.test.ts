/**
 * Access log lines after real traffic through skiff to an echo backend: one JSON line per
 * request with the documented fields, sampling, and the flow and trace ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import type { AccessLogEntry } from '../../src/accesslog/line.js';
import { flowId } from '../../filters/tracing/flow-id.js';

function collector(): { stream: PassThrough; lines: () => AccessLogEntry[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AccessLogEntry),
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('access log', () => {
  let echo: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  const out = collector();

  beforeAll(async () => {
    echo = await startEcho();
    obs = createObservability({ metrics: {}, accessLog: { enabled: true, destination: out.stream } });
    skiff = await startSkiff(`api: Path("/api") -> "${echo.url}";`, {
      observer: obs.observer,
      metrics: obs.metricsHandler,
      onTable: obs.onTable,
    });
  });

  afterAll(async () => {
    await skiff?.stop();
    await echo?.close();
    await obs?.shutdown();
  });

  it('writes one JSON line per request with the documented fields', async () => {
    const before = Date.now();
    const r = await request(`${skiff.url}/api?token=secret`, {
      headers: {
        host: 'shop.example.org',
        'x-flow-id': 'abcdefgh12345678',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    expect(r.status).toBe(200);
    const miss = await request(`${skiff.url}/missing`, { method: 'POST', headers: { host: 'shop.example.org' } });
    expect(miss.status).toBe(404);
    await until(() => out.lines().length >= 2);
    const [hit, none] = out.lines();
    expect(hit).toMatchObject({
      client_ip: '127.0.0.1',
      method: 'GET',
      host: 'shop.example.org',
      path: '/api',
      status: 200,
      bytes: r.body.length,
      route: 'api',
      endpoint: `127.0.0.1:${echo.port}`,
      flow_id: 'abcdefgh12345678',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      failure: '',
    });
    expect(Object.keys(hit!)).toEqual([
      'time', 'client_ip', 'method', 'host', 'path', 'status', 'bytes', 'duration_ms', 'route', 'endpoint', 'flow_id', 'trace_id', 'failure',
    ]);
    expect(hit!.duration_ms).toBeGreaterThan(0);
    expect(hit!.duration_ms).toBeLessThan(5000);
    const t = Date.parse(hit!.time);
    expect(t).toBeGreaterThanOrEqual(before - 5);
    expect(t).toBeLessThanOrEqual(Date.now());
    // The query never reaches the log.
    expect(JSON.stringify(hit)).not.toContain('secret');
    expect(none).toMatchObject({ method: 'POST', path: '/missing', status: 404, route: '', endpoint: '', failure: 'no_route', flow_id: '', trace_id: '' });
  });

  it('counts written lines on /metrics', async () => {
    const scrape = await request(skiff.supportUrl + '/metrics');
    const written = /^skiff_accesslog_lines_total (\d+)$/m.exec(scrape.text);
    expect(Number(written?.[1])).toBe(out.lines().length);
    expect(scrape.text).toMatch(/^skiff_accesslog_dropped_lines_total 0$/m);
  });
});

describe('access log options', () => {
  it('logs nothing at sample rate 0 and everything at 1', async () => {
    const echo = await startEcho();
    const none = collector();
    const all = collector();
    const obsNone = createObservability({ metrics: false, accessLog: { enabled: true, sampleRate: 0, destination: none.stream } });
    const obsAll = createObservability({ metrics: false, accessLog: { enabled: true, sampleRate: 1, destination: all.stream } });
    const routes = `all: * -> "${echo.url}";`;
    const a = await startSkiff(routes, { observer: obsNone.observer });
    const b = await startSkiff(routes, { observer: obsAll.observer });
    try {
      for (let i = 0; i < 5; i++) {
        await request(a.url + '/');
        await request(b.url + '/');
      }
      await until(() => all.lines().length >= 5);
      expect(all.lines()).toHaveLength(5);
      expect(none.lines()).toHaveLength(0);
    } finally {
      await a.stop();
      await b.stop();
      await echo.close();
    }
  });

  it('samples with the given rate', async () => {
    const echo = await startEcho();
    const out = collector();
    // A fixed sequence of draws: below 0.5 is logged.
    const draws = [0.1, 0.9, 0.4, 0.6, 0.49, 0.51];
    let i = 0;
    const obs = createObservability({
      metrics: false,
      accessLog: { enabled: true, sampleRate: 0.5, destination: out.stream, random: () => draws[i++ % draws.length]! },
    });
    const s = await startSkiff(`all: * -> "${echo.url}";`, { observer: obs.observer });
    try {
      for (let n = 0; n < 6; n++) await request(`${s.url}/${n}`);
      await until(() => out.lines().length >= 3);
      await new Promise((r) => setTimeout(r, 30));
      expect(out.lines().map((l) => l.path)).toEqual(['/0', '/2', '/4']);
    } finally {
      await s.stop();
      await echo.close();
    }
  });

  it('logs the flow id the flowId filter sent upstream', async () => {
    const echo = await startEcho();
    const out = collector();
    const obs = createObservability({ metrics: false, accessLog: { enabled: true, destination: out.stream } });
    const s = await startSkiff(`all: * -> flowId() -> "${echo.url}";`, { observer: obs.observer, filters: [flowId] });
    try {
      await request(`${s.url}/flow`, { headers: { 'x-flow-id': 'client-chosen-id' } });
      await until(() => out.lines().length >= 1);
      const sent = echo.received[0]!.headers['x-flow-id'];
      expect(sent).toMatch(/^[0-9a-zA-Z+-]{16}$/);
      expect(out.lines()[0]!.flow_id).toBe(sent);
    } finally {
      await s.stop();
      await echo.close();
    }
  });

  it('rejects a sample rate outside 0..1', () => {
    expect(() => createObservability({ accessLog: { enabled: true, sampleRate: 2 } })).toThrow(/sampleRate/);
  });

  it('appends to a file given by path', async () => {
    const echo = await startEcho();
    const file = join(await mkdtemp(join(tmpdir(), 'skiff-accesslog-')), 'access.log');
    const obs = createObservability({ metrics: false, accessLog: { enabled: true, destination: file } });
    const s = await startSkiff(`all: * -> "${echo.url}";`, { observer: obs.observer });
    try {
      await request(`${s.url}/file`);
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      await s.stop();
      await echo.close();
      await obs.shutdown();
    }
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ path: '/file', status: 200 });
  });
});
