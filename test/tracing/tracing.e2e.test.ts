/**
 * Spans with a real tracer SDK and an in-memory exporter: skiff on loopback in front of an echo
 * backend that shows which trace headers arrived. Checks the ingress and proxy spans, their
 * parent/child link, Skipper's tag names, and the trace context the backend received.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import { byName, spansFor } from './spans.js';

const incomingTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const incomingSpan = '00f067aa0ba902b7';
const traceparentRx = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

function toNs(t: readonly [number, number]): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

describe('tracing with an SDK', () => {
  let echo: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

  beforeAll(async () => {
    echo = await startEcho();
    obs = createObservability({ metrics: false, tracing: { tracerProvider: provider, propagator, hostname: 'skiff-test-host' } });
    expect(obs.tracing?.active).toBe(true);
    const routes = `
      api: Path("/api/*rest") -> setPath("/inner\${rest}") -> "${echo.url}";
      tagged: Path("/tagged") -> tracingTag("http.flow_id", "\${request.header.X-Flow-Id}") -> tracingTag("team", "payments") -> "${echo.url}";
      dead: Path("/dead") -> "http://127.0.0.1:1";
    `;
    skiff = await startSkiff(routes, { observer: obs.observer });
  });

  afterAll(async () => {
    await skiff?.stop();
    await echo?.close();
    await obs?.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    echo.received.length = 0;
  });

  it('continues an incoming trace: ingress is the child of the caller, proxy the child of ingress', async () => {
    const r = await request(`${skiff.url}/api/x?secret=1`, {
      headers: {
        host: 'api.example.org',
        traceparent: `00-${incomingTrace}-${incomingSpan}-01`,
        tracestate: 'vendor=abc',
        baggage: 'tenant=acme',
      },
    });
    expect(r.status).toBe(200);
    const spans = await spansFor(exporter, 2);
    expect(spans).toHaveLength(2);
    const ingress = byName(spans, 'ingress');
    const proxy = byName(spans, 'proxy');

    expect(ingress.kind).toBe(SpanKind.SERVER);
    expect(proxy.kind).toBe(SpanKind.CLIENT);
    expect(ingress.spanContext().traceId).toBe(incomingTrace);
    expect(proxy.spanContext().traceId).toBe(incomingTrace);
    expect(ingress.parentSpanContext?.spanId).toBe(incomingSpan);
    expect(proxy.parentSpanContext?.spanId).toBe(ingress.spanContext().spanId);

    // The backend saw the proxy span as its parent, and the caller's tracestate and baggage.
    const got = echo.received[0]!.headers;
    const m = traceparentRx.exec(String(got.traceparent));
    expect(m).not.toBeNull();
    expect(m![1]).toBe(incomingTrace);
    expect(m![2]).toBe(proxy.spanContext().spanId);
    expect(got.tracestate).toBe('vendor=abc');
    expect(got.baggage).toBe('tenant=acme');

    expect(ingress.attributes).toMatchObject({
      component: 'skiff',
      hostname: 'skiff-test-host',
      'http.host': 'api.example.org',
      'http.method': 'GET',
      'http.path': '/api/x',
      'http.url': '/api/x?secret=1',
      'span.kind': 'server',
      'http.status_code': 200,
    });
    expect(String(ingress.attributes['http.remote_addr'])).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(proxy.attributes).toMatchObject({
      component: 'skiff',
      'http.url': `${echo.url}/inner/x`,
      'skipper.route_id': 'api',
      'span.kind': 'client',
      'http.status_code': 200,
    });

    // The proxy span lies within the ingress span.
    expect(toNs(proxy.startTime)).toBeGreaterThanOrEqual(toNs(ingress.startTime));
    expect(toNs(proxy.endTime)).toBeLessThanOrEqual(toNs(ingress.endTime));
  });

  it('starts a new trace when none comes in, and the backend gets its context', async () => {
    expect((await request(`${skiff.url}/api/y`, { headers: { host: 'a.example' } })).status).toBe(200);
    const spans = await spansFor(exporter, 2);
    const ingress = byName(spans, 'ingress');
    const proxy = byName(spans, 'proxy');
    expect(ingress.parentSpanContext).toBeUndefined();
    const m = traceparentRx.exec(String(echo.received[0]!.headers.traceparent))!;
    expect(m[1]).toBe(ingress.spanContext().traceId);
    expect(m[2]).toBe(proxy.spanContext().spanId);
  });

  it('replaces a malformed traceparent instead of forwarding it', async () => {
    const bad = `00-${incomingTrace.toUpperCase()}-${incomingSpan}-01`;
    await request(`${skiff.url}/api/z`, { headers: { host: 'a.example', traceparent: bad, tracestate: 'vendor=abc' } });
    const spans = await spansFor(exporter, 2);
    const ingress = byName(spans, 'ingress');
    const got = echo.received[0]!.headers;
    expect(got.traceparent).not.toBe(bad);
    const m = traceparentRx.exec(String(got.traceparent))!;
    expect(m).not.toBeNull();
    expect(m[1]).toBe(ingress.spanContext().traceId);
    expect(m[1]).not.toBe(incomingTrace);
    expect(got.tracestate).toBeUndefined();
  });

  it('puts tracingTag values on the ingress span', async () => {
    await request(`${skiff.url}/tagged`, { headers: { host: 'a.example', 'x-flow-id': 'flow-123456' } });
    const ingress = byName(await spansFor(exporter, 2), 'ingress');
    expect(ingress.attributes['http.flow_id']).toBe('flow-123456');
    expect(ingress.attributes.team).toBe('payments');
    // Without the header the placeholder does not resolve and the tag is left out.
    exporter.reset();
    await request(`${skiff.url}/tagged`, { headers: { host: 'a.example' } });
    const second = byName(await spansFor(exporter, 2), 'ingress');
    expect(second.attributes['http.flow_id']).toBeUndefined();
    expect(second.attributes.team).toBe('payments');
  });

  it('traces requests no route matched with an ingress span only', async () => {
    expect((await request(`${skiff.url}/nowhere`, { headers: { host: 'a.example' } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    const spans = await spansFor(exporter, 1);
    expect(spans.map((s) => s.name)).toEqual(['ingress']);
    expect(spans[0]!.attributes['http.status_code']).toBe(404);
  });

  it('marks a failed backend call as an error on both spans', async () => {
    expect((await request(`${skiff.url}/dead`, { headers: { host: 'a.example' } })).status).toBe(502);
    const spans = await spansFor(exporter, 2);
    const proxy = byName(spans, 'proxy');
    const ingress = byName(spans, 'ingress');
    expect(proxy.attributes['http.status_code']).toBe(502);
    expect(proxy.status.code).toBe(SpanStatusCode.ERROR);
    expect(proxy.status.message).toBe('dial');
    expect(ingress.status.code).toBe(SpanStatusCode.ERROR);
  });
});
