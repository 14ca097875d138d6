/**
 * Starts an OTLP trace exporter from the standard OTEL_* environment variables (otlp-env.ts says
 * when, and over which protocol): a tracer provider from @opentelemetry/sdk-trace-base with a
 * batch span processor, registered globally with the propagators OTEL_PROPAGATORS names.
 *
 * The SDK and the exporters are dependencies of skiff, but they are loaded with import() only
 * here, and only the exporter of the protocol asked for: a router that does not trace keeps none
 * of them on its heap, and one that exports over HTTP does not load @grpc/grpc-js.
 *
 * The exporter reads the rest of its settings itself (OTEL_EXPORTER_OTLP[_TRACES]_ENDPOINT,
 * _HEADERS, _TIMEOUT, _COMPRESSION, the certificate variables), and the SDK reads the sampler
 * (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG), the batch (OTEL_BSP_*) and span limits.
 * What goes wrong in there (a failed export) reaches skiff's log through diagnostics.ts.
 */
import { propagation, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../log.js';
import { otlpExportFromEnv, tracesExporterNames, type OtlpProtocol } from './otlp-env.js';
import { buildPropagator, parsePropagatorNames, type ModuleLoader } from './propagators.js';
import { forwardOtelDiagnostics } from './diagnostics.js';

export { wantsOtlp } from './otlp-env.js';

export interface TracingSdk {
  readonly protocol: OtlpProtocol;
  /** Flushes the spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingSdkOptions {
  readonly log: Logger;
  /**
   * Where the switch, the protocol, the propagators and the service name are read; process.env
   * unless given. The exporter and the SDK read their own settings from process.env.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides OTEL_PROPAGATORS. */
  readonly propagators?: readonly string[];
  /** How the SDK packages are loaded; `import()` unless given. */
  readonly load?: ModuleLoader;
}

const importModule: ModuleLoader = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/** Exporter names skiff acts on in OTEL_TRACES_EXPORTER; others are reported, not started. */
const knownExporters = new Set(['otlp', 'none']);

/** The package of each protocol. Each is a separate package: only the one in use is loaded. */
export const otlpExporterPackages: Record<OtlpProtocol, string> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

type ExporterModule = typeof import('@opentelemetry/exporter-trace-otlp-proto');
type SdkModule = typeof import('@opentelemetry/sdk-trace-base');
type ResourcesModule = typeof import('@opentelemetry/resources');

/**
 * Returns null when the environment does not ask for tracing, or when the packages cannot be
 * loaded (a broken install: logged as an error, and the router runs untraced rather than not
 * at all). Throws SKIFF_ERR_INVALID_OPTION for a protocol it does not know, and for an unknown
 * OTEL_PROPAGATORS name.
 */
export async function startTracingSdk(options: TracingSdkOptions): Promise<TracingSdk | null> {
  const env = options.env ?? process.env;
  const log = options.log;
  const unknown = tracesExporterNames(env).filter((n) => !knownExporters.has(n));
  if (unknown.length > 0) log.warn('tracing: OTEL_TRACES_EXPORTER names exporters skiff does not have; only otlp is supported', { ignored: unknown });
  const exportTo = otlpExportFromEnv(env);
  if (exportTo === null) return null;
  const protocol = exportTo.protocol;
  const propagators = options.propagators ?? parsePropagatorNames(env.OTEL_PROPAGATORS);
  const load = options.load ?? importModule;
  // before the SDK reads its variables: a bad OTEL_TRACES_SAMPLER is reported through diag
  forwardOtelDiagnostics(log);
  let sdk: SdkModule;
  let exporter: SpanExporter;
  try {
    sdk = (await load('@opentelemetry/sdk-trace-base')) as SdkModule;
    const exporterModule = (await load(otlpExporterPackages[protocol])) as ExporterModule;
    exporter = new exporterModule.OTLPTraceExporter();
  } catch (err) {
    log.error('tracing: the OTLP exporter could not be loaded (is the installation complete?); tracing stays off', {
      protocol,
      package: otlpExporterPackages[protocol],
      error: String(err),
    });
    return null;
  }
  const propagator = await buildPropagator(propagators, load, log);
  const resource = await serviceResource(load, env.OTEL_SERVICE_NAME?.trim() || 'skiff');
  // The proxy passes every span's parent context explicitly, so no context manager is needed.
  const provider = new sdk.BasicTracerProvider({
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
    ...(resource === undefined ? {} : { resource }),
  });
  trace.setGlobalTracerProvider(provider);
  if (propagator !== null) propagation.setGlobalPropagator(propagator);
  log.info('tracing: exporting spans over OTLP', { protocol, propagators });
  return { protocol, shutdown: () => provider.shutdown() };
}

/** service.name, then OTEL_RESOURCE_ATTRIBUTES over it, as the SDK's own start-up does. */
async function serviceResource(load: ModuleLoader, serviceName: string): Promise<ReturnType<ResourcesModule['defaultResource']> | undefined> {
  try {
    const r = (await load('@opentelemetry/resources')) as ResourcesModule;
    return r
      .defaultResource()
      .merge(r.resourceFromAttributes({ 'service.name': serviceName }))
      .merge(r.detectResources({ detectors: [r.envDetector] }));
  } catch {
    return undefined;
  }
}
