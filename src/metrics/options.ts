/**
 * Which metric families are on, and their buckets. The switches follow Skipper's flags
 * (-serve-route-metrics, -serve-host-metrics, -route-backend-metrics, -backend-host-metrics) so
 * operators can carry their settings over; the defaults keep the serve metrics on and the
 * per-backend ones off.
 */
import type { Registry } from 'prom-client';
import { ErrorCode, SkiffError } from '../errors.js';

export interface MetricsOptions {
  /** Where the instruments are registered; a fresh Registry when absent. */
  readonly registry?: Registry;
  /** skipper_serve_route_duration_seconds{code,method,route}; default on. */
  readonly serveRoute?: boolean;
  /** skipper_serve_host_duration_seconds{code,method,host}; default on. */
  readonly serveHost?: boolean;
  /** skipper_backend_duration_seconds with the route label set; default off. */
  readonly routeBackend?: boolean;
  /** skipper_backend_duration_seconds with the backend host label set; default off. */
  readonly backendHost?: boolean;
  /** Node process metrics (prom-client collectDefaultMetrics); default on. */
  readonly processMetrics?: boolean;
  /** Upper bounds (seconds) of every duration histogram; prom-client's defaults when absent. */
  readonly buckets?: readonly number[];
  /** Upper bounds (bytes) of skipper_response_size_bytes. */
  readonly sizeBuckets?: readonly number[];
}

export interface ResolvedMetricsOptions {
  readonly serveRoute: boolean;
  readonly serveHost: boolean;
  readonly routeBackend: boolean;
  readonly backendHost: boolean;
  readonly processMetrics: boolean;
  readonly buckets: number[] | undefined;
  readonly sizeBuckets: number[];
}

/** 64 B to 64 MiB in powers of four: response sizes span that range on an ingress. */
export const defaultSizeBuckets: readonly number[] = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

export function resolveMetricsOptions(o: MetricsOptions = {}): ResolvedMetricsOptions {
  return {
    serveRoute: o.serveRoute ?? true,
    serveHost: o.serveHost ?? true,
    routeBackend: o.routeBackend ?? false,
    backendHost: o.backendHost ?? false,
    processMetrics: o.processMetrics ?? true,
    buckets: o.buckets === undefined ? undefined : checkBuckets('buckets', o.buckets),
    sizeBuckets: checkBuckets('sizeBuckets', o.sizeBuckets ?? defaultSizeBuckets),
  };
}

function checkBuckets(name: string, buckets: readonly number[]): number[] {
  if (buckets.length === 0) throw new SkiffError(ErrorCode.InvalidOption, `metrics ${name}: at least one bucket is needed`);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (!Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!)) {
      throw new SkiffError(ErrorCode.InvalidOption, `metrics ${name}: bounds must be finite and increasing, got ${buckets.join(',')}`);
    }
  }
  return [...buckets];
}
