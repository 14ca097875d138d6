/**
 * Starting an exporter from OTEL_* variables: when it is asked for, what happens when the
 * optional packages are missing, and (with the packages stood in by the in-memory exporter)
 * that a started SDK is picked up by tracing and its spans are exported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import * as sdkBase from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as core from '@opentelemetry/core';
import { startTracingSdk, wantsOtlp, type TracingSdk } from '../../src/tracing/sdk.js';
import { buildPropagator, parsePropagatorNames } from '../../src/tracing/propagators.js';
import { hasTracerSdk } from '../../src/tracing/tracing.js';
import { createObservability } from '../../src/observability.js';
import { createLogger } from '../../src/log.js';
import { startSkiff } from '../helpers/skiff.js';
import { startEcho } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { SkiffError } from '../../src/errors.js';

function recordingLogger(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), lines };
}

describe('wantsOtlp', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console,otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, false],
  ])('%j → %s', (env, want) => {
    expect(wantsOtlp(env as NodeJS.ProcessEnv)).toBe(want);
  });
});

describe('propagators', () => {
  it('defaults to tracecontext and baggage, and rejects unknown names', () => {
    expect(parsePropagatorNames(undefined)).toEqual(['tracecontext', 'baggage']);
    expect(parsePropagatorNames(' TraceContext , b3multi')).toEqual(['tracecontext', 'b3multi']);
    expect(() => parsePropagatorNames('xray')).toThrow(SkiffError);
  });

  it('leaves b3 out with a warning when its package is not installed', async () => {
    const { log, lines } = recordingLogger();
    const load = (s: string) => import(s) as Promise<Record<string, unknown>>;
    const p = await buildPropagator(['tracecontext', 'b3'], load, log);
    expect(p?.fields()).toEqual(['traceparent', 'tracestate']);
    expect(lines.some((l) => l.level === 'warn' && String(l.msg).includes('propagator-b3'))).toBe(true);
    expect(await buildPropagator(['none'], load, log)).toBeNull();
  });
});

describe('startTracingSdk', () => {
  let started: TracingSdk | null = null;
  afterAll(async () => {
    await started?.shutdown();
  });

  it('does nothing when the environment does not ask for tracing', async () => {
    const { log, lines } = recordingLogger();
    expect(await startTracingSdk({ log, env: {} })).toBeNull();
    expect(lines).toHaveLength(0);
  });

  it('logs and stays off when the SDK packages are missing', async () => {
    const { log, lines } = recordingLogger();
    const sdk = await startTracingSdk({ log, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' } });
    expect(sdk).toBeNull();
    const warn = lines.find((l) => l.level === 'warn');
    expect(String(warn?.msg)).toMatch(/SDK packages are missing/);
    expect(String(warn?.install)).toContain('@opentelemetry/exporter-trace-otlp-http');
    expect(hasTracerSdk(trace.getTracerProvider())).toBe(false);
  });

  it('registers a provider that tracing picks up, and exports the spans', async () => {
    const exported = new InMemorySpanExporter();
    // The exporter package is stood in by one that keeps spans in memory; the processor by a
    // synchronous one so the test need not wait for a batch.
    const modules: Record<string, Record<string, unknown>> = {
      '@opentelemetry/sdk-trace-node': { ...sdkBase, BatchSpanProcessor: SimpleSpanProcessor },
      '@opentelemetry/exporter-trace-otlp-http': { OTLPTraceExporter: function OTLPTraceExporter() { return exported; } },
      '@opentelemetry/core': { ...core },
    };
    const load = async (s: string) => {
      const m = modules[s];
      if (m !== undefined) return m;
      return (await import(s)) as Record<string, unknown>;
    };
    const obs = createObservability({ metrics: false, tracing: {} });
    expect(obs.tracing?.active).toBe(false);
    const { log, lines } = recordingLogger();
    started = await startTracingSdk({ log, env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'edge' }, load });
    expect(started).not.toBeNull();
    expect(lines.some((l) => l.msg === 'tracing: exporting spans over OTLP')).toBe(true);
    expect(hasTracerSdk(trace.getTracerProvider())).toBe(true);
    obs.tracing!.refresh();
    expect(obs.tracing?.active).toBe(true);

    const echo = await startEcho();
    const skiff = await startSkiff(`all: * -> "${echo.url}";`, { observer: obs.observer });
    try {
      expect((await request(skiff.url + '/x')).status).toBe(200);
      for (let i = 0; i < 100 && exported.getFinishedSpans().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const spans = exported.getFinishedSpans();
      expect(spans.map((s) => s.name).sort()).toEqual(['ingress', 'proxy']);
      expect(spans[0]!.resource.attributes['service.name']).toBe('edge');
      // The global propagator was set from the default names: the backend got a traceparent.
      expect(String(echo.received[0]!.headers.traceparent)).toContain(spans[0]!.spanContext().traceId);
    } finally {
      await skiff.stop();
      await echo.close();
    }
  });
});
