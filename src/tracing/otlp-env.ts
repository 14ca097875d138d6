/**
 * What the standard OTEL_* variables say about exporting traces: whether to export at all, and
 * over which OTLP protocol. Pure and cheap (no exporter package is loaded here), so the command
 * can refuse a bad value before it opens a listener.
 *
 * On when OTEL_TRACES_EXPORTER names `otlp`, or is unset and an OTLP endpoint variable is set;
 * off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none (or names only other exporters).
 * The spec's default exporter is `otlp` even with nothing set; skiff asks for one of these
 * variables instead, so a router started without OTEL_* configuration never sends spans to a
 * collector on localhost that nobody set up.
 */
import { ErrorCode, SkiffError } from '../errors.js';
import { parsePropagatorNames } from './propagators.js';

/** The values OTEL_EXPORTER_OTLP_PROTOCOL may take, as the spec spells them. */
export const otlpProtocols = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof otlpProtocols)[number];

/** The spec's default protocol. */
export const defaultOtlpProtocol: OtlpProtocol = 'http/protobuf';

/** The spec treats an empty variable as unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** The names in OTEL_TRACES_EXPORTER, lower-cased; empty when it is unset. */
export function tracesExporterNames(env: NodeJS.ProcessEnv): string[] {
  return (envValue(env, 'OTEL_TRACES_EXPORTER') ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function wantsOtlp(env: NodeJS.ProcessEnv): boolean {
  if ((envValue(env, 'OTEL_SDK_DISABLED') ?? '').toLowerCase() === 'true') return false;
  const exporters = tracesExporterNames(env);
  if (exporters.length > 0) return exporters.includes('otlp');
  return envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined;
}

/**
 * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf.
 * Compared without regard to case, as the spec asks of enum values. Any other value throws
 * SKIFF_ERR_INVALID_OPTION naming the variable it came from and the values allowed.
 */
export function otlpProtocol(env: NodeJS.ProcessEnv): OtlpProtocol {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = envValue(env, name);
    if (value === undefined) continue;
    const protocol = otlpProtocols.find((p) => p === value.toLowerCase());
    if (protocol === undefined) {
      throw new SkiffError(ErrorCode.InvalidOption, `${name}="${value}" is not supported: use one of ${otlpProtocols.join(', ')}`);
    }
    return protocol;
  }
  return defaultOtlpProtocol;
}

/**
 * The protocol to export spans over, or null when the environment does not ask for tracing.
 * Throws (see otlpProtocol) only when tracing is on: a leftover protocol variable on a router
 * that does not trace stops nothing.
 */
export function otlpExportFromEnv(env: NodeJS.ProcessEnv): { readonly protocol: OtlpProtocol } | null {
  if (!wantsOtlp(env)) return null;
  return { protocol: otlpProtocol(env) };
}

/**
 * Throws for the OTEL_* values startTracingSdk would refuse (the protocol, the propagator
 * names), when tracing is on: the command calls it first, to stop before it listens.
 */
export function checkTracingEnv(env: NodeJS.ProcessEnv): void {
  if (otlpExportFromEnv(env) !== null) parsePropagatorNames(env.OTEL_PROPAGATORS);
}
