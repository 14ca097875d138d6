/**
 * Turns on an OTLP trace exporter from the standard OTEL_* environment variables, when the
 * optional SDK packages are installed (@opentelemetry/sdk-trace-node and
 * @opentelemetry/exporter-trace-otlp-http; they are not dependencies of skiff). Missing packages
 * are logged and tracing stays off: the router never fails to start over tracing.
 *
 * On when OTEL_TRACES_EXPORTER names `otlp`, or is unset and an OTLP endpoint variable is set;
 * off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. The exporter itself reads its
 * endpoint, headers and timeout from the environment. OTEL_PROPAGATORS picks the propagators.
 */
import { propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import type { Logger } from '../log.js';
import { buildPropagator, parsePropagatorNames, type ModuleLoader } from './propagators.js';

export interface TracingSdk {
  /** Flushes the spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingSdkOptions {
  readonly log: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides OTEL_PROPAGATORS. */
  readonly propagators?: readonly string[];
  /** How optional packages are loaded; `import()` unless given. */
  readonly load?: ModuleLoader;
}

export function wantsOtlp(env: NodeJS.ProcessEnv): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (exporters.length > 0) return exporters.includes('otlp');
  return (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '') !== '' || (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? '') !== '';
}

const importModule: ModuleLoader = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

type Ctor = new (...args: unknown[]) => unknown;

interface Provider {
  register?(config: { propagator?: TextMapPropagator | null }): void;
  shutdown(): Promise<void>;
}

/** Returns null when the environment does not ask for tracing or the packages are missing. */
export async function startTracingSdk(options: TracingSdkOptions): Promise<TracingSdk | null> {
  const env = options.env ?? process.env;
  const log = options.log;
  if (!wantsOtlp(env)) return null;
  const load = options.load ?? importModule;
  let sdk: Record<string, unknown>;
  let exporterModule: Record<string, unknown>;
  try {
    sdk = await load('@opentelemetry/sdk-trace-node');
    exporterModule = await load('@opentelemetry/exporter-trace-otlp-http');
  } catch (err) {
    log.warn('tracing: OTEL_* asks for an OTLP exporter, but the SDK packages are missing; tracing stays off', {
      install: 'npm install @opentelemetry/sdk-trace-node @opentelemetry/exporter-trace-otlp-http',
      error: String(err),
    });
    return null;
  }
  const propagator = await buildPropagator(options.propagators ?? parsePropagatorNames(env.OTEL_PROPAGATORS), load, log);
  const resource = await serviceResource(load, env.OTEL_SERVICE_NAME ?? 'skiff');
  const exporter = new (exporterModule.OTLPTraceExporter as Ctor)();
  const processor = new (sdk.BatchSpanProcessor as Ctor)(exporter);
  const Provider = (sdk.NodeTracerProvider ?? sdk.BasicTracerProvider) as Ctor;
  const provider = new Provider({ spanProcessors: [processor], ...(resource === undefined ? {} : { resource }) }) as Provider;
  if (typeof provider.register === 'function') {
    provider.register({ propagator });
  } else {
    trace.setGlobalTracerProvider(provider as never);
    if (propagator !== null) propagation.setGlobalPropagator(propagator);
  }
  log.info('tracing: exporting spans over OTLP', { propagators: options.propagators ?? parsePropagatorNames(env.OTEL_PROPAGATORS) });
  return { shutdown: () => provider.shutdown() };
}

/** service.name plus OTEL_RESOURCE_ATTRIBUTES, when @opentelemetry/resources can be loaded. */
async function serviceResource(load: ModuleLoader, serviceName: string): Promise<unknown> {
  try {
    const r = await load('@opentelemetry/resources');
    const fromAttributes = r.resourceFromAttributes as (a: Record<string, string>) => { merge(o: unknown): unknown };
    const detect = r.detectResources as (c: { detectors: unknown[] }) => unknown;
    const base = (r.defaultResource as () => { merge(o: unknown): { merge(o: unknown): unknown } })();
    return base.merge(fromAttributes({ 'service.name': serviceName })).merge(detect({ detectors: [r.envDetector] }));
  } catch {
    return undefined;
  }
}
