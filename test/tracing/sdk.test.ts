/**
 * Starting the exporter from OTEL_* variables: nothing is loaded when tracing is not asked for,
 * only the exporter package of the protocol asked for is loaded, a package that cannot be loaded
 * leaves tracing off with an error, and (with the exporter stood in by the in-memory one) a
 * started SDK is picked up by tracing and its spans are exported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { trace } from '@opentelemetry/api';
import * as sdkBase from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpExporterPackages, startTracingSdk, type TracingSdk } from '../../src/tracing/sdk.js';
import { buildPropagator, parsePropagatorNames } from '../../src/tracing/propagators.js';
import { hasTracerSdk } from '../../src/tracing/tracing.js';
import { createObservability } from '../../src/observability.js';
import { createLogger } from '../../src/log.js';
import { startSkiff } from '../helpers/skiff.js';
import { startEcho } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { SkiffError } from '../../src/errors.js';
import type { ModuleLoader } from '../../src/tracing/propagators.js';

function recordingLogger(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), lines };
}

/** import(), with the specifiers asked for recorded, and the exporter packages stood in (no network). */
function recordingLoader(): { load: ModuleLoader; loaded: string[] } {
  const loaded: string[] = [];
  const exporters = new Set(Object.values(otlpExporterPackages));
  return {
    loaded,
    load: async (s) => {
      loaded.push(s);
      if (exporters.has(s)) return { OTLPTraceExporter: function OTLPTraceExporter() { return new InMemorySpanExporter(); } };
      return (await import(s)) as Record<string, unknown>;
    },
  };
}

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

  it('loads nothing when the environment does not ask for tracing', async () => {
    for (const env of [{}, { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_PROTOCOL: 'bogus' }]) {
      const { log, lines } = recordingLogger();
      const { load, loaded } = recordingLoader();
      expect(await startTracingSdk({ log, env, load })).toBeNull();
      expect(loaded).toEqual([]);
      expect(lines).toHaveLength(0);
    }
  });

  it('warns about exporter names it does not have, and stays off without otlp', async () => {
    const { log, lines } = recordingLogger();
    const { load, loaded } = recordingLoader();
    expect(await startTracingSdk({ log, env: { OTEL_TRACES_EXPORTER: 'zipkin' }, load })).toBeNull();
    expect(loaded).toEqual([]);
    expect(lines.find((l) => l.level === 'warn')?.ignored).toEqual(['zipkin']);
  });

  it('refuses a protocol it does not know, naming the variable', async () => {
    const { log } = recordingLogger();
    const { load, loaded } = recordingLoader();
    const started = startTracingSdk({ log, env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' }, load });
    await expect(started).rejects.toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL="http\/xml".*http\/protobuf, http\/json, grpc/);
    await expect(started).rejects.toBeInstanceOf(SkiffError);
    expect(loaded).toEqual([]);
  });

  it('logs an error and stays off when the exporter package cannot be loaded', async () => {
    const { log, lines } = recordingLogger();
    const load: ModuleLoader = async (s) => {
      if (s === otlpExporterPackages.grpc) throw new Error(`Cannot find package '${s}'`);
      return (await import(s)) as Record<string, unknown>;
    };
    expect(await startTracingSdk({ log, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, load })).toBeNull();
    const err = lines.find((l) => l.level === 'error');
    expect(String(err?.msg)).toMatch(/could not be loaded/);
    expect(err?.package).toBe('@opentelemetry/exporter-trace-otlp-grpc');
    expect(hasTracerSdk(trace.getTracerProvider())).toBe(false);
  });

  it('every package it may load is a production dependency', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const p of [...Object.values(otlpExporterPackages), '@opentelemetry/sdk-trace-base', '@opentelemetry/resources', '@opentelemetry/core']) {
      expect(pkg.dependencies[p], p).toBeDefined();
    }
  });

  it('registers a provider that tracing picks up, and exports the spans', async () => {
    const exported = new InMemorySpanExporter();
    // The exporter package is stood in by one that keeps spans in memory, the batch processor by
    // a synchronous one so the test need not wait for a batch; the specifiers asked for are kept.
    const loaded: string[] = [];
    const load: ModuleLoader = async (s) => {
      loaded.push(s);
      if (s === '@opentelemetry/sdk-trace-base') return { ...sdkBase, BatchSpanProcessor: SimpleSpanProcessor };
      if (s === otlpExporterPackages['http/json']) return { OTLPTraceExporter: function OTLPTraceExporter() { return exported; } };
      return (await import(s)) as Record<string, unknown>;
    };
    const obs = createObservability({ metrics: false, tracing: {} });
    expect(obs.tracing?.active).toBe(false);
    const { log, lines } = recordingLogger();
    started = await startTracingSdk({ log, env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'edge' }, load });
    expect(started?.protocol).toBe('http/json');
    // only the exporter of the protocol in use: neither protobuf's nor grpc's
    expect(loaded.filter((s) => s.startsWith('@opentelemetry/exporter-'))).toEqual(['@opentelemetry/exporter-trace-otlp-http']);
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
