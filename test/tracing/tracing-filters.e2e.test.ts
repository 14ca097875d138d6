/**
 * The tracing filters through a real proxy with a tracer SDK and an in-memory exporter:
 * tracingTagFromResponse(IfStatus), tracingBaggageToTag and stateBagToTag put attributes on the
 * ingress span, tracingSpanName names the proxy span, and a route without them keeps the plain
 * spans. The backend on 127.0.0.1 answers with the status asked for in `?status=` and an
 * X-Cache header.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import { byName, spansFor } from './spans.js';

/** The attributes every ingress span has; the rest came from filters. */
const baseAttributes = new Set([
  'component',
  'hostname',
  'http.host',
  'http.method',
  'http.path',
  'http.remote_addr',
  'http.url',
  'span.kind',
  'http.status_code',
]);

function filterTags(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([k]) => !baseAttributes.has(k)));
}

describe('tracing filters with an SDK', () => {
  let backend: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

  beforeAll(async () => {
    backend = await startServer((req, res) => {
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? '200');
      res.writeHead(status, { 'x-cache': 'HIT', 'content-type': 'text/plain' });
      res.end('ok');
    });
    obs = createObservability({ metrics: false, tracing: { tracerProvider: provider, propagator, hostname: 'skiff-test-host' } });
    expect(obs.tracing?.active).toBe(true);
    const url = backend.url;
    const routes = `
      plain: Path("/plain") -> "${url}";
      resp: Path("/resp")
        -> tracingTagFromResponse("cache", "\${response.header.X-Cache}")
        -> tracingTagFromResponse("missing", "\${response.header.X-Missing}")
        -> tracingTagFromResponseIfStatus("error", "true", 500, 599)
        -> "${url}";
      named: Path("/named") -> tracingSpanName("orders-backend") -> "${url}";
      namedShunt: Path("/named-shunt") -> tracingSpanName("never-used") -> status(204) -> <shunt>;
      baggage: Path("/baggage") -> tracingBaggageToTag("tenant") -> tracingBaggageToTag("user.id", "user") -> "${url}";
      state: Path("/state") -> flowId() -> stateBagToTag("flowId", "flow") -> stateBagToTag("absent") -> "${url}";
      early: Path("/early") -> stateBagToTag("flowId", "flow") -> flowId() -> "${url}";
      bad: Path("/bad") -> tracingTagFromResponseIfStatus("error", "true", 599, 500) -> "${url}";
    `;
    skiff = await startSkiff(routes, { observer: obs.observer });
  });

  afterAll(async () => {
    await skiff?.stop();
    await backend?.close();
    await obs?.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<ReadableSpan[]> {
    const r = await request(`${skiff.url}${path}`, { headers: { host: 'a.example', ...headers } });
    expect(r.status, path).toBeGreaterThan(0);
    return spansFor(exporter, 2);
  }

  it('a route without the filters gets the plain spans', async () => {
    const spans = await get('/plain');
    expect(spans.map((s) => s.name).sort()).toEqual(['ingress', 'proxy']);
    expect(filterTags(byName(spans, 'ingress'))).toEqual({});
  });

  it('tracingTagFromResponse tags from the response; IfStatus only within its range', async () => {
    const ok = byName(await get('/resp?status=200'), 'ingress');
    expect(filterTags(ok)).toEqual({ cache: 'HIT' });
    exporter.reset();
    const failed = byName(await get('/resp?status=503'), 'ingress');
    expect(failed.attributes['http.status_code']).toBe(503);
    expect(filterTags(failed)).toEqual({ cache: 'HIT', error: 'true' });
    exporter.reset();
    const edge = byName(await get('/resp?status=599'), 'ingress');
    expect(edge.attributes.error).toBe('true');
    exporter.reset();
    const below = byName(await get('/resp?status=499'), 'ingress');
    expect(below.attributes.error).toBeUndefined();
  });

  it('tracingSpanName names the proxy span; the ingress span keeps its name', async () => {
    const spans = await get('/named');
    expect(spans.map((s) => s.name).sort()).toEqual(['ingress', 'orders-backend']);
    const proxy = byName(spans, 'orders-backend');
    expect(proxy.attributes['skipper.route_id']).toBe('named');
    expect(proxy.parentSpanContext?.spanId).toBe(byName(spans, 'ingress').spanContext().spanId);
  });

  it('tracingSpanName on a route without a backend call changes nothing', async () => {
    expect((await request(`${skiff.url}/named-shunt`, { headers: { host: 'a.example' } })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 30));
    const spans = await spansFor(exporter, 1);
    expect(spans.map((s) => s.name)).toEqual(['ingress']);
  });

  it('tracingBaggageToTag tags the items the W3C baggage propagator extracted', async () => {
    const spans = await get('/baggage', { baggage: 'tenant=acme, user.id=jane%20doe;prop=1,other=x' });
    expect(filterTags(byName(spans, 'ingress'))).toEqual({ tenant: 'acme', user: 'jane doe' });
    exporter.reset();
    const none = await get('/baggage', { baggage: 'other=x' });
    expect(filterTags(byName(none, 'ingress'))).toEqual({});
    exporter.reset();
    // garbage in the header is the propagator's to drop, never a failed request
    const odd = await get('/baggage', { baggage: 'tenant=%E0%A4%A, =,;;,user.id=ok' });
    expect(filterTags(byName(odd, 'ingress'))).toEqual({ user: 'ok' });
  });

  it('stateBagToTag tags the entry as it is where the filter stands', async () => {
    const spans = await get('/state');
    const tags = filterTags(byName(spans, 'ingress'));
    expect(Object.keys(tags)).toEqual(['flow']);
    expect(tags.flow).toMatch(/^[0-9a-zA-Z+-]{16}$/);
    exporter.reset();
    // before flowId() the bag has no flow id yet
    const early = await get('/early');
    expect(filterTags(byName(early, 'ingress'))).toEqual({});
  });

  it('sets a route with bad arguments aside, with the reason', async () => {
    // It fails closed: the route answers 500 with the error code, it is never skipped over.
    const r = await request(`${skiff.url}/bad`, { headers: { host: 'a.example' } });
    expect(r.status).toBe(500);
    expect(r.text).toContain('SKIFF_ERR_INVALID_ARGS');
    const invalid = await request(`${skiff.supportUrl}/routes?invalid`);
    expect(invalid.text).toContain('bad');
    expect(invalid.text).toContain('tracingTagFromResponseIfStatus: the minimum status 599 is above the maximum 500');
  });
});
