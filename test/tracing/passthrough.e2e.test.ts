/**
 * Without a tracer SDK: no spans are made, a valid incoming traceparent reaches the backend
 * exactly as sent (with its tracestate), and a malformed one is removed with its tracestate.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import { hasTracerSdk } from '../../src/tracing/tracing.js';

describe('tracing without an SDK', () => {
  let echo: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;

  beforeAll(async () => {
    echo = await startEcho();
    obs = createObservability({ metrics: false });
    skiff = await startSkiff(`all: * -> "${echo.url}";`, { observer: obs.observer });
  });

  afterAll(async () => {
    await skiff?.stop();
    await echo?.close();
    await obs?.shutdown();
  });

  beforeEach(() => {
    echo.received.length = 0;
  });

  it('detects that no SDK is registered and stays on the no-op path', () => {
    expect(hasTracerSdk(trace.getTracerProvider())).toBe(false);
    expect(obs.tracing?.active).toBe(false);
  });

  it('passes a valid traceparent and its tracestate through untouched', async () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const r = await request(skiff.url + '/x', { headers: { traceparent: tp, tracestate: 'a=1,b=2', baggage: 'k=v' } });
    expect(r.status).toBe(200);
    const got = echo.received[0]!.headers;
    expect(got.traceparent).toBe(tp);
    expect(got.tracestate).toBe('a=1,b=2');
    expect(got.baggage).toBe('k=v');
  });

  it('passes a later version with extra fields through', async () => {
    const tp = '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra';
    await request(skiff.url + '/x', { headers: { traceparent: tp } });
    expect(echo.received[0]!.headers.traceparent).toBe(tp);
  });

  it.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['garbage', 'not-a-trace'],
  ])('removes %s together with its tracestate', async (_what, tp) => {
    await request(skiff.url + '/x', { headers: { traceparent: tp, tracestate: 'a=1' } });
    const got = echo.received[0]!.headers;
    expect(got.traceparent).toBeUndefined();
    expect(got.tracestate).toBeUndefined();
  });
});
